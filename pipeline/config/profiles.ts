/**
 * Profiles: named sets of output options, chosen with `manuscript build --profile NAME` or `profile: NAME` in
 * manuscript.yaml. This is the one place they are defined; a new profile is a new entry in `profiles`.
 *
 * `default` is the document as the author reads it (`build/<name>.pdf`). Any other profile writes its outputs beside
 * those, named `build/<name>-<profile>.pdf` (and `.html`, `.docx`), and leaves the default outputs as they were.
 */

export interface ProfileOptions {
  /** Text size of the body, in points (the PDF's root size; the Word document's Normal style). */
  fontSizePt: number
  /** Line spacing as a multiple of single spacing (Word's "double" is 2; the PDF's line height is this × 1.2 em). */
  lineSpacing: number
  /** Number every line of the text in the left margin, continuously from the first page to the last. */
  lineNumbers: boolean
  /**
   * Figures and tables go after the references, each on a page of its own, and a centred line
   * "[Figure 1 about here]" stands where each was.
   */
  floatsAtEnd: boolean
  /** The CSS file, in pipeline/render/styles/, that the HTML and PDF add after paper.css. */
  stylesheet: string
}

export const profiles = {
  /** A manuscript as journals ask to receive it: double-spaced, 12 pt, line-numbered, figures and tables at the end. */
  submission: {fontSizePt: 12, lineSpacing: 2, lineNumbers: true, floatsAtEnd: true, stylesheet: 'submission.css'}
} as const satisfies Record<string, ProfileOptions>

export type ProfileName = 'default' | keyof typeof profiles

export const profileNames: readonly ProfileName[] = ['default', ...(Object.keys(profiles) as (keyof typeof profiles)[])]

export function isProfileName(name: string): name is ProfileName {
  return (profileNames as readonly string[]).includes(name)
}

/** The options of a profile; undefined for `default`, which changes nothing. */
export function profileOptions(name: ProfileName): ProfileOptions | undefined {
  return name === 'default' ? undefined : profiles[name]
}

/** The file name of an output of the profile: `manuscript` → `manuscript-submission`. */
export function profileOutputName(name: string, profile: ProfileName): string {
  return profile === 'default' ? name : `${name}-${profile}`
}
