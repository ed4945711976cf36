/** Figure 1 of the sample paper: yield per plot by district (Table 1's last column), drawn from data/gardens.csv. */
import {defineFigure, round} from 'manuscript-pipeline/figures'

const districts = ['North', 'Centre', 'South', 'East']

export default defineFigure({
  label: 'fig:yield',
  caption: 'Yield per plot by district, in kilograms per season.',
  data: {gardens: 'data/gardens.csv'},
  build({gardens}) {
    const total = (rows: typeof gardens, column: string) => rows.numbers(column).reduce((sum, value) => sum + value, 0)
    const values = districts.map((district) => {
      const rows = gardens.filter((garden) => garden.district === district)
      return {district, yieldPerPlot: round(total(rows, 'yield_kg') / total(rows, 'plots'), 1)}
    })
    return {
      data: {values},
      height: 220,
      encoding: {
        x: {field: 'district', type: 'nominal', sort: districts, title: null, axis: {labelAngle: 0}},
        y: {field: 'yieldPerPlot', type: 'quantitative', title: 'Yield per plot (kg)'}
      },
      layer: [
        {mark: {type: 'bar', color: '#3b6e8f', width: {band: 0.6}}},
        {mark: {type: 'text', dy: -6, fontSize: 10}, encoding: {text: {field: 'yieldPerPlot', type: 'quantitative', format: '.1f'}}}
      ]
    }
  }
})
