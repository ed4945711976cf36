import {defineTable} from 'manuscript-pipeline/tables'
import {checkAllRow, responsesFile, singleChoiceRow, summaryColumns} from './_survey.ts'

export default defineTable({
  label: 'tbl:work-others',
  caption: 'Summary of survey responses related to how anti-TIP NGOs work with other actors',
  data: {responses: responsesFile},
  build({responses}) {
    return {
      columns: summaryColumns,
      rows: [
        checkAllRow(responses, 'Q3.5', 'In your country, which of these institutions have been active in fighting human trafficking over the last 10–15 years?', ['The national government', 'NGOs and civil society', 'Embassies or foreign governments', 'International organizations', 'Other']),
        singleChoiceRow(responses, 'Q3.20', 'In your view, how hard is the government of your country working to combat trafficking in persons?', ['Not hard at all', 'Not too hard', 'Somewhat hard', 'Very hard', 'Extremely hard', "Don't know"]),
        singleChoiceRow(responses, 'Q3.26', "Would you say that the government of your country's efforts to combat trafficking over the past 10–15 years have:", ['Improved', 'Remained constant', 'Slowed down', "Don't know"])
      ]
    }
  }
})
