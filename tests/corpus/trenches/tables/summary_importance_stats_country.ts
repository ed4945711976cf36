import {defineTable, formatAnova, oneWayAnova} from 'manuscript-pipeline/tables'
import {associationColumns, countryFactors, importanceLevels, responsesFile, rowsIn} from './_survey.ts'

/** One-way ANOVA of each country-level factor across the three opinions of US importance. */
export default defineTable({
  label: 'tbl:importance-stats-country',
  caption: 'Associations between country-level factors and opinions of US importance',
  data: {responses: responsesFile},
  build({responses}) {
    const groups = rowsIn(responses, 'Q3.19', importanceLevels).split('Q3.19', importanceLevels)
    return {
      columns: associationColumns,
      rows: countryFactors.map(({label, column, transform = (value) => value}) => [
        label,
        formatAnova(oneWayAnova(groups.map((group) => group.numbers(column).map(transform))))
      ])
    }
  }
})
