/**
 * A watch session makes a lot of short-lived garbage per save (trees, HTML, the PDF's bytes), and V8 collects its
 * old generation only when that grows past a limit set from the last collection: left alone, a long session's
 * memory climbs to several times what it holds. So once the session has been idle for a moment (no rebuild, no print
 * going on) and its heap has grown by a tenth since the last such collection, one full collection returns it to what
 * it needs.
 *
 * Not after every pause: a forced collection also throws away the code V8 optimised (measured: pdf-lib's part
 * of a PDF took 150 ms instead of 50 after one), so an author pausing between saves would meet a cold session
 * each time. With the threshold, saves 3 s apart are printed as fast as saves in quick succession, and the
 * resident memory levels off some 10–15% above its size after the first saves (bench/watch.ts measures both).
 */
import {getHeapStatistics, setFlagsFromString} from 'node:v8'
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

/** Growth of the heap, over what it held after the last collection, that is worth a collection. */
const worthCollecting = 0.1

export interface IdleCollectionOptions {
  idleMs: number
  /**
   * Whether work is going on or due (a print, a rebuild): the session is not idle then, and the wait starts again.
   * Collecting during a book's 2-second print threw away the code the next save's rebuild would run (V8 made its
   * optimised code again: the book's rebuild took 297 ms instead of 227, medians of 12 saves), though the author had
   * not paused; collecting during a rebuild stopped it for the collection itself as well.
   */
  busy?: () => boolean
  /** A full collection; default: V8's, made available at run time (tests give their own). */
  collect?: Collect
  /** The growth of the heap since the last collection that is worth another: default a tenth; -1, every time (tests). */
  growth?: number
}

export class IdleCollection {
  private timer: NodeJS.Timeout | undefined
  private heldAfterCollection = 0

  constructor(private readonly options: IdleCollectionOptions) {}

  /** Something happened (a build, the end of a print): collect once `idleMs` pass without another and nothing is busy. */
  activity(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      // Busy (a print, a rebuild going on or due): the wait starts again, whether or not the work ends in activity().
      if (this.options.busy?.()) {
        this.activity()
        return
      }
      if (getHeapStatistics().used_heap_size <= this.heldAfterCollection * (1 + (this.options.growth ?? worthCollecting))) return
      const collect = this.options.collect ?? collector()
      // Two rounds: after one, the settled size still swung by ±15% from save to save.
      collect?.()
      collect?.()
      this.heldAfterCollection = getHeapStatistics().used_heap_size
    }, this.options.idleMs).unref()
  }

  stop(): void {
    clearTimeout(this.timer)
  }
}
