/** Table 2 of the sample paper: gardens with and without a shared tool shed, per-garden ratios averaged (Equation 1). */
import {defineTable, describe} from 'manuscript-pipeline/tables'

const groups = [
  {label: 'Shares tools', value: 'yes'},
  {label: 'Does not share', value: 'no'}
]

export default defineTable({
  label: 'tbl:tools',
  caption: 'Volunteer effort and yield by tool sharing.',
  data: {gardens: 'data/gardens.csv'},
  build({gardens}) {
    return {
      columns: [{header: 'Group'}, {header: 'Gardens'}, {header: 'Hours per member', digits: 1}, {header: 'Yield per plot (kg)', digits: 1}],
      rows: groups.map((group) => {
        const rows = gardens.filter((garden) => garden.shared_tools === group.value)
        // Equation 1: the mean of each garden's own ratio.
        const ratio = (numerator: string, denominator: string) => describe(rows.map((garden) => Number(garden[numerator]) / Number(garden[denominator]))).mean
        return [group.label, rows.length, ratio('volunteer_hours', 'members'), ratio('yield_kg', 'plots')]
      })
    }
  }
})
