import {defineTable} from 'manuscript-pipeline/tables'
import {responsesFile, singleChoiceRow, summaryColumns} from './_survey.ts'

export default defineTable({
  label: 'tbl:us-opinions',
  caption: 'Summary of responses related to opinions of the US',
  data: {responses: responsesFile},
  build({responses}) {
    return {
      columns: summaryColumns,
      rows: [
        singleChoiceRow(responses, 'Q3.19', 'Overall, how important a role would you say that the United States or its embassy have played in fighting trafficking in your country over the last 10–15 years?', ['Most important actor', 'Somewhat important actor', 'Not an important actor', "Don't know"]),
        singleChoiceRow(responses, 'Q3.25', 'Overall, has the US influence on human trafficking policy in your country been positive or negative?', ["Don't know", 'Mixed', 'Negative', 'Positive'])
      ]
    }
  }
})
