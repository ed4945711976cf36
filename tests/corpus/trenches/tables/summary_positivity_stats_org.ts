import {chiSquareTest, crossTabulate, defineTable, formatChiSquare} from 'manuscript-pipeline/tables'
import {associationColumns, organisationFactors, positivityLevels, responsesFile, rowsIn} from './_survey.ts'

/** Chi-square test (Yates-corrected: every table here is 2×2) of Mixed/Positive against each organisation factor. */
export default defineTable({
  label: 'tbl:positivity-stats-org',
  caption: 'Associations between organization-level factors and opinions of US positivity',
  data: {responses: responsesFile},
  build({responses}) {
    const rows = rowsIn(responses, 'Q3.25_collapsed', positivityLevels)
    return {
      columns: associationColumns,
      rows: organisationFactors.map(({label, column}) => [
        label,
        formatChiSquare(chiSquareTest(crossTabulate(rows, 'Q3.25_collapsed', column, {rows: positivityLevels}).counts))
      ])
    }
  }
})
