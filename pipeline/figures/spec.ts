/**
 * What a figure's Vega-Lite specification may hold before the pipeline renders it outside the sandbox. A spec is
 * data, but Vega can be told to fetch: data or a lookup from a `url`, an image mark's picture, a link (`href`). A
 * definition already has its data (through `data`), so the spec must carry it inline (`data: {values}`,
 * `datasets`), and any of these is refused with a message naming where it is. Vega's own loader is refused as
 * well when rendering (render.ts), so nothing missed here could load anything either.
 */

/** Object keys that make Vega load something or link somewhere. */
const refusedKeys: Record<string, string> = {
  url: 'a figure carries its data inline (`data: {values: [...]}`, computed in `build` from `data`), it loads nothing from a URL or file',
  href: 'a figure holds no links (an SVG shown as an image cannot follow them)'
}

/** Inline data values at most, over the whole spec: more than a figure can show (Vega's work is limited in time and memory too: draw.ts). */
export const maximumValues = 200_000

export class SpecProblem extends Error {
  override name = 'SpecProblem'
}

/** Throws a SpecProblem for the first thing the spec may not hold, with its path (`layer[1].mark.type`). */
export function checkSpec(spec: unknown): void {
  let values = 0
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${at}[${index}]`))
      return
    }
    if (typeof value !== 'object' || value === null) return
    for (const [key, child] of Object.entries(value)) {
      const place = at ? `${at}.${key}` : key
      if (key in refusedKeys) throw new SpecProblem(`The specification has \`${place}\`: ${refusedKeys[key]}`)
      if ((key === 'mark' || key === 'type') && (child === 'image' || (typeof child === 'object' && child !== null && (child as {type?: unknown}).type === 'image'))) {
        throw new SpecProblem(`The specification has an image mark at \`${place}\`: a figure draws its marks from its data and loads no pictures`)
      }
      // Data rows are data: a column may be called `url` (Vega loads from one only through a refused key or mark).
      if (key === 'values' && Array.isArray(child)) {
        values += child.length
        continue
      }
      if (key === 'datasets' && typeof child === 'object' && child !== null) {
        for (const rows of Object.values(child)) values += Array.isArray(rows) ? rows.length : 0
        continue
      }
      if (key === 'sequence' && typeof child === 'object' && child !== null) {
        const {start = 0, stop, step = 1} = child as {start?: unknown; stop?: unknown; step?: unknown}
        const steps = (Number(stop) - Number(start)) / Number(step)
        values += Number.isFinite(steps) ? Math.max(0, Math.ceil(steps)) : Number.POSITIVE_INFINITY
      }
      visit(child, place)
    }
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new SpecProblem('The specification must be an object')
  visit(spec, '')
  if (values > maximumValues) throw new SpecProblem(`The specification holds ${values} data values; a figure may hold at most ${maximumValues} (aggregate in \`build\` first)`)
}
