import {chiSquareTest, crossTabulate, defineTable, formatChiSquare} from 'manuscript-pipeline/tables'
import {associationColumns, importanceLevels, organisationFactors, responsesFile, rowsIn} from './_survey.ts'

/** Chi-square test of opinions of US importance (three groups) against each organisation-level factor. */
export default defineTable({
  label: 'tbl:importance-stats-org',
  caption: 'Associations between organization-level factors and opinions of US importance',
  data: {responses: responsesFile},
  build({responses}) {
    const rows = rowsIn(responses, 'Q3.19', importanceLevels)
    return {
      columns: associationColumns,
      rows: organisationFactors.map(({label, column}) => [
        label,
        formatChiSquare(chiSquareTest(crossTabulate(rows, 'Q3.19', column, {rows: importanceLevels}).counts))
      ])
    }
  }
})
