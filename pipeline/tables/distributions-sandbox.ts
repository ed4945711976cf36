/** distributions.ts as the sandbox's runtime module has it: the functions come from the host's script on first use. */
import {sandboxDistributions} from './harness.ts'
import type {Distributions} from './distributions.ts'

export type {Distributions} from './distributions.ts'

export function loadDistributions(): Distributions {
  return sandboxDistributions()
}
