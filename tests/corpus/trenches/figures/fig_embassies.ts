/**
 * Which embassies or foreign governments NGOs named as active (Q3.6) and as the most active (Q3.7), for the
 * governments named most often. Both questions are free text: an answer names a government when it matches one of
 * its patterns below (a coding of the answers as the published figure's was, by name, adjective, embassy or aid
 * agency); an answer counts once per government it names. Percents are of the answers given to each question.
 */
import {defineFigure, type DataTable} from 'manuscript-pipeline/figures'
import {mirroredBars, percentLabel, responsesFile} from './_survey.ts'

/** The governments shown, by how often they were named as active; then "None" and "All" (answers to Q3.7). */
const governments: [name: string, pattern: RegExp][] = [
  ['United States', /\bU\.?S\.?A?\b|\busa\b|united\s*,?\s*(?:of\s+)?states?\b|\bamerica|\busaid\b|state department|dept\. of state/i],
  ['United Kingdom', /\bU\.?K\b|united kingdom|brit(?:ain|ish)/i],
  ['Netherlands', /netherland|nertherland|nederland|dutch|holland/i],
  ['France', /\bfran(?:ce|c)\b|french/i],
  ['Norway', /norw|nowergian/i],
  ['European Union', /\bE\.?U\b|european (?:union|commission|parliament)/i],
  ['Switzerland', /swiss|switzer/i],
  ['Sweden', /swed/i],
  ['Australia', /australia/i],
  ['Italy', /ital/i],
  ['Germany', /german/i],
  ['Canada', /canad/i],
  // No government named: none, not known or not sure.
  ['None', /^\s*(?:if none|none|n\/a|no idea|not sure|nothing to report|unaware|i do not know|i don'?t know|don'?t know|i really cant say.*|\?)\s*\.?\s*$/i],
  // Every one named before (Q3.7 after Q3.6).
  ['All', /^\s*(?:all\b.*|both|see above|same order as above)\s*$/i]
]

/** "None" and "All" answer which of the governments named is the most active (Q3.7) only. */
const mostActiveOnly = new Set(['None', 'All'])

/** How many answers to `question` name each government, and how many answers there are. */
function mentions(responses: DataTable, question: string): {counts: Map<string, number>; answers: number} {
  const answers = responses.values(question).filter((answer): answer is string => typeof answer === 'string' && answer.trim() !== '')
  const counted = governments.filter(([name]) => question === 'Q3.7' || !mostActiveOnly.has(name))
  const counts = new Map(counted.map(([name, pattern]) => [name, answers.filter((answer) => pattern.test(answer)).length]))
  return {counts, answers: answers.length}
}

export default defineFigure({
  label: 'fig:embassies',
  caption: 'Embassies or foreign governments NGOs reported as active partners in the fight against human trafficking',
  data: {responses: responsesFile},
  build({responses}) {
    const active = mentions(responses, 'Q3.6')
    const mostActive = mentions(responses, 'Q3.7')
    const rows = governments.map(([name]) => {
      const left = active.counts.get(name) ?? 0
      const right = mostActive.counts.get(name) ?? 0
      return {name, left, leftLabel: left ? percentLabel(left, active.answers) : '', right, rightLabel: percentLabel(right, mostActive.answers)}
    })
    return mirroredBars(rows, {
      leftTitle: 'Times named as a partner in anti-TIP work',
      rightTitle: 'Times named as the most active partner',
      nameWidth: 92,
      rowHeight: 20
    })
  }
})
