/** What NGOs saw the US embassy do (Q3.9, check all that apply): percent of those who ticked any activity. */
import {checkAll, defineFigure} from 'manuscript-pipeline/figures'
import {responsesFile} from './_survey.ts'

// The survey's order; "Convening conferences" was added last, as Q3.9_10.
const activities: {column: string; label: string}[] = [
  {column: 'Q3.9_1', label: 'Asking for legislation'},
  {column: 'Q3.9_10', label: 'Convening conferences or workshops'},
  {column: 'Q3.9_2', label: 'Raising awareness'},
  {column: 'Q3.9_3', label: 'Providing resources or funding'},
  {column: 'Q3.9_4', label: 'Increasing government attention'},
  {column: 'Q3.9_5', label: 'Training government officials'},
  {column: 'Q3.9_6', label: 'Contributing to a government action plan'},
  {column: 'Q3.9_7', label: 'Other'},
  {column: 'Q3.9_8', label: "Don't know"},
  {column: 'Q3.9_9', label: 'The US has not been involved in trafficking issues'}
]

export default defineFigure({
  label: 'fig:activities',
  caption: 'Activities and programming sponsored by the US embassy, as reported by NGOs',
  data: {responses: responsesFile},
  build({responses}) {
    const counts = checkAll(responses, activities)
    const values = counts.categories.map((category) => ({activity: category.label, count: category.count, share: category.count / counts.n}))
    return {
      data: {values},
      height: 26 * values.length,
      mark: {type: 'bar', height: {band: 0.88}},
      encoding: {
        y: {field: 'activity', type: 'nominal', sort: activities.map((activity) => activity.label), title: null, axis: {ticks: false, labelPadding: 8, labelLimit: 320}},
        x: {field: 'share', type: 'quantitative', title: null, axis: {format: '.0%', tickCount: 5}}
      }
    }
  }
})
