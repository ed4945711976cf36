/** Mean positivity of the US's influence (Q3.25) by country, with the SD, for countries with at least 10 responses. */
import {defineFigure} from 'manuscript-pipeline/figures'
import {countryMeans, meanRanges, responsesFile} from './_survey.ts'

const scores = {Negative: -1, Mixed: 0, Positive: 1}

export default defineFigure({
  label: 'fig:avg_positivity',
  caption: 'Average opinions of US positivity in anti-TIP efforts (error bars indicate standard deviations)',
  data: {responses: responsesFile},
  build({responses}) {
    return meanRanges(countryMeans(responses, 'Q3.25', scores, 10), {
      title: 'Positivity of the US in anti-TIP efforts (mean)',
      levels: [[-1, 'Negative'], [0, 'Mixed'], [1, 'Positive']],
      domain: [-1.5, 1.5]
    })
  }
})
