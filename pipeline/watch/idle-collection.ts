/**
 * A watch session makes a lot of short-lived garbage per save (trees, HTML, the PDF's bytes), and V8 collects its
 * old generation only when that grows past a limit set from the last collection: left alone, a long session's
 * memory climbs to several times what it holds. So once the session has been idle for a moment, one full
 * collection returns it to what it needs. A reader who saves meanwhile waits for it at most a few tens of ms.
 */
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

type Collect = () => void

let collect: Collect | undefined | null

/** `gc()`, made available at run time (node does not expose it without --expose-gc); null if it cannot be. */
function collector(): Collect | null {
  if (collect !== undefined) return collect
  try {
    const exposed = (globalThis as {gc?: Collect}).gc
    if (exposed) return (collect = exposed)
    setFlagsFromString('--expose-gc')
    const made = runInNewContext('gc') as unknown
    collect = typeof made === 'function' ? (made as Collect) : null
  } catch {
    collect = null
  }
  return collect
}

export class IdleCollection {
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly idleMs: number) {}

  /** Something happened (a build, a print): collect once `idleMs` pass without another. */
  activity(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      const collect = collector()
      // Two rounds: after one, the settled size still swung by ±15% from save to save; after two it stays within a
      // few per cent over hundreds of saves (bench/watch.ts measures it).
      collect?.()
      collect?.()
    }, this.idleMs).unref()
  }

  stop(): void {
    clearTimeout(this.timer)
  }
}
