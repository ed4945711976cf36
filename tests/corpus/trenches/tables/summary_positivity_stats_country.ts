import {defineTable, formatTTest, welchTTest} from 'manuscript-pipeline/tables'
import {associationColumns, countryFactors, positivityLevels, responsesFile, rowsIn} from './_survey.ts'

/** Welch t-test of each country-level factor, Mixed minus Positive opinions of US influence. */
export default defineTable({
  label: 'tbl:positivity-stats-country',
  caption: 'Associations between country-level factors and opinions of US positivity',
  data: {responses: responsesFile},
  build({responses}) {
    const [mixed, positive] = rowsIn(responses, 'Q3.25_collapsed', positivityLevels).split('Q3.25_collapsed', positivityLevels)
    return {
      columns: associationColumns,
      rows: countryFactors.map(({label, column, transform = (value) => value}) => [
        label,
        formatTTest(welchTTest(mixed.numbers(column).map(transform), positive.numbers(column).map(transform)))
      ])
    }
  }
})
