/** Mean importance of the US (Q3.19) by country, with the SD, for countries with at least 10 responses. */
import {defineFigure} from 'manuscript-pipeline/figures'
import {countryMeans, meanRanges, responsesFile} from './_survey.ts'

const scores = {'Most important actor': 2, 'Somewhat important actor': 1, 'Not an important actor': 0}

export default defineFigure({
  label: 'fig:avg_importance',
  caption: 'Average importance of US anti-TIP efforts (error bars indicate standard deviations)',
  data: {responses: responsesFile},
  build({responses}) {
    return meanRanges(countryMeans(responses, 'Q3.19', scores, 10), {
      title: 'Importance of the US in anti-TIP efforts (mean)',
      levels: [[0, 'Not important'], [1, 'Somewhat important'], [2, 'Most important']],
      domain: [-0.25, 2.5]
    })
  }
})
