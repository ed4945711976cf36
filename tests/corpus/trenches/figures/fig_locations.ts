/** Where the NGOs are: regions of their headquarters (one per organisation) and of the countries they work in. */
import {defineFigure} from 'manuscript-pipeline/figures'
import {mirroredBars, organisationRows, percentLabel, responsesFile} from './_survey.ts'

const regions = ['Asia and Oceania', 'Europe', 'Americas', 'Africa']

export default defineFigure({
  label: 'fig:locations',
  caption: 'NGO headquarters and target countries, by region',
  data: {responses: responsesFile},
  build({responses}) {
    const headquarters = organisationRows(responses).values('home.region').filter((region) => region !== null)
    const work = responses.values('work.region').filter((region) => region !== null)
    const count = (values: unknown[], region: string) => values.filter((value) => value === region).length
    const rows = regions.map((name) => {
      const based = count(headquarters, name)
      const working = count(work, name)
      return {name, left: based, leftLabel: percentLabel(based, headquarters.length), right: working, rightLabel: percentLabel(working, work.length)}
    })
    return mirroredBars(rows, {leftTitle: 'NGOs based in region', rightTitle: 'NGOs working in region', nameWidth: 100, rowHeight: 34})
  }
})
