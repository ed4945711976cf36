import {defineTable} from 'manuscript-pipeline/tables'
import {checkAllRow, organisationRows, responsesFile, singleChoiceRow, summaryColumns} from './_survey.ts'

export default defineTable({
  label: 'tbl:tip-report',
  caption: "Summary of survey responses related to how anti-TIP NGOs use the State Department's annual TIP report",
  data: {responses: responsesFile},
  build({responses}) {
    return {
      columns: summaryColumns,
      rows: [
        singleChoiceRow(organisationRows(responses), 'Q2.5', 'The US State Department issues an annual Trafficking in Persons (TIP) report. Have you ever heard of this annual report?', ['No', 'Yes']),
        checkAllRow(responses, 'Q3.21', "Has your organization used the US State Department's Trafficking in Persons (TIP) report to discuss trafficking issues with any of these groups?", ['National government', 'Another government', 'Other NGOs', 'Other']),
        singleChoiceRow(responses, 'Q3.22', 'Which TIP tier rating did your country receive this year?', ['Tier 1', 'Tier 2', 'Watch list', 'Tier 3', "Don't know"]),
        singleChoiceRow(responses, 'Q3.23', 'Have you ever heard—in public or private—officials in your country mention the TIP tier rating?', ['No', 'Yes'])
      ]
    }
  }
})
