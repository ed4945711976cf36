/**
 * A long manuscript of ordinary Markdown (sections of long paragraphs with emphasis, links, inline code and math, a
 * list), as large as asked: legal input that takes seconds to parse near the 2 MB limit, and prints to many pages.
 */
export function longMarkdown(characters: number, title = 'A Long Manuscript'): string {
  const parts = [`---\ntitle: "${title}"\n---\n`]
  let length = parts[0].length
  for (let section = 1; length < characters; section++) {
    const sentences = Array.from({length: 12}, (_, index) => {
      const plot = section * 12 + index
      return `Garden ${plot} shared its *tools* and **labour** with ${plot % 7} neighbouring plots, logged as \`Q${plot}\` in [the survey](https://example.org/${plot}), where $x_{${plot}} = ${plot % 40}$ kg.`
    })
    const block = [`# Section ${section}`, sentences.slice(0, 6).join(' '), sentences.slice(6).join(' '), `- watering rota for plot ${section}\n- compost: ${section} kg`].join('\n\n')
    parts.push(block)
    length += block.length + 2
  }
  return `${parts.join('\n\n')}\n`.slice(0, characters)
}
