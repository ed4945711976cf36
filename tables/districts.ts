/** Table 1 of the sample paper: the gardens summed by district, yield per plot over all of a district's plots. */
import {defineTable} from 'manuscript-pipeline/tables'

const districts = ['North', 'Centre', 'South', 'East']

export default defineTable({
  label: 'tbl:districts',
  caption: 'Gardens, plots, members, volunteer hours and yield per plot by district.',
  data: {gardens: 'data/gardens.csv'},
  build({gardens}) {
    const total = (rows: typeof gardens, column: string) => rows.numbers(column).reduce((sum, value) => sum + value, 0)
    return {
      columns: [
        {header: 'District'},
        {header: 'Gardens'},
        {header: 'Plots'},
        {header: 'Members'},
        {header: 'Volunteer hours'},
        {header: 'Yield per plot (kg)', digits: 1}
      ],
      rows: districts.map((district) => {
        const rows = gardens.filter((garden) => garden.district === district)
        return [district, rows.length, total(rows, 'plots'), total(rows, 'members'), total(rows, 'volunteer_hours'), total(rows, 'yield_kg') / total(rows, 'plots')]
      })
    }
  }
})
