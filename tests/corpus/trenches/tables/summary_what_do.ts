import {defineTable} from 'manuscript-pipeline/tables'
import {checkAllRow, numericRow, organisationRows, responsesFile, singleChoiceRow, summaryColumns} from './_survey.ts'

export default defineTable({
  label: 'tbl:what-do',
  caption: 'Summary of survey responses related to anti-TIP NGO activities',
  data: {responses: responsesFile},
  build({responses}) {
    const organisations = organisationRows(responses)
    return {
      columns: summaryColumns,
      rows: [
        numericRow(organisations, 'Q2.1', "About what percent of your organization's time and resources are spent on fighting against trafficking or helping victims of trafficking?"),
        singleChoiceRow(responses, 'Q3.3', 'How much does your organization know about human trafficking policy in your country?', ['None', 'Very little', 'Little', 'Some', 'A lot', "Don't know"]),
        checkAllRow(organisations, 'Q2.2', 'Which human trafficking issues is your organization most involved with?', ['Organ trafficking', 'Sex trafficking', 'Labor trafficking', 'Other']),
        checkAllRow(organisations, 'Q2.3', 'Which kinds of victims is your organization most involved with?', ['Children', 'Adults', 'Other']),
        checkAllRow(organisations, 'Q2.4', 'Which efforts does your organization focus on most?', ['Prevention and education', 'Prosecutions and legal issues', 'Victim protection', 'Victim assistance', 'Other'])
      ]
    }
  }
})
