/**
 * A table worker's main script: it runs one definition's bundle inside QuickJS compiled to WebAssembly, a
 * JavaScript engine that has no file system, network, processes, timers, workers or module loading of its own:
 * the definition can only compute. All it gets is what this host hands it: the runtime module
 * (`manuscript-pipeline/tables`, the one import the sandbox resolves), the data files the pipeline parsed for it,
 * `console` output, a collator for `localeCompare` and the script of the distribution functions (evaluated in the
 * definition's runtime when a test first needs them). QuickJS enforces the limits: the time limit through its
 * interrupt handler (which also stops a regular expression that backtracks for ever), and a stack limit; the
 * WebAssembly memory's maximum is the limit on everything the definition allocates, data included. The pipeline
 * stops the worker from outside should the interrupt not come (a few slow built-in calls run between two checks).
 */
import {newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSSyncVariant, type QuickJSWASMModule} from 'quickjs-emscripten-core'
import releaseSyncModule from '@jitl/quickjs-wasmfile-release-sync'
import {isMainThread, parentPort, workerData} from 'node:worker_threads'
import {hostName, type SandboxHost} from './harness.ts'
import {apiSpecifier, bundleFileName, type DataMessage, type DefinitionFailure, type RunMessage, type SandboxReply, type WorkerInput, type WorkerMessage} from './model.ts'
import {framesOf} from './transfer.ts'

/** What a definition may print before the rest is left out. */
const outputLimit = 64 * 1024
/** How long the harness may take to say which data cell was read last, after the time is up. */
const lastReadAllowanceMs = 200

/** Stopped by the interrupt handler at the time limit. */
class TimeUp extends Error {}

/** An error of the sandbox itself (not of the definition's code), such as a bundle QuickJS cannot parse. */
class SandboxError extends Error {
  constructor(readonly failure: DefinitionFailure) {
    super(failure.message)
  }
}

// The package's types describe its CommonJS build; as an ES module (what is bundled) its default export is the variant.
const releaseSync = releaseSyncModule as unknown as QuickJSSyncVariant

if (!isMainThread && parentPort && (workerData as Partial<WorkerInput> | undefined)?.role === 'manuscript-table') serve(parentPort, workerData as WorkerInput)

function serve(port: NonNullable<typeof parentPort>, input: WorkerInput): void {
  const post = (message: WorkerMessage) => port.postMessage(message)
  // QuickJS's own count of its memory misses large blocks under WebAssembly (it cannot ask malloc their size), so the
  // limit is on the WebAssembly memory itself: all QuickJS holds, the definition's allocations and data included.
  const memory = new WebAssembly.Memory({initial: 256, maximum: (input.memoryLimitMb * 1024 * 1024) / 65536})
  const quickjs = newQuickJSWASMModuleFromVariant(newVariant(releaseSync, {wasmModule: input.engine, wasmMemory: memory}))
  // Each definition gets a runtime of its own (heap, globals, clock and random numbers): the first is made while the
  // pipeline bundles the definitions, each next one as soon as the one before has answered.
  let next = quickjs.then((engine) => prepare(engine, input, post))
  port.on('message', (message: RunMessage | DataMessage) => {
    if (message.type !== 'run') return
    next = next.then(async (sandbox) => {
      try {
        await run(sandbox, message, port, post)
      } finally {
        sandbox.dispose()
      }
      return prepare(await quickjs, input, post)
    })
    next.catch((error: unknown) => post({type: 'crashed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error)}))
  })
}

function prepare(quickjs: QuickJSWASMModule, input: WorkerInput, post: (message: WorkerMessage) => void): Sandbox {
  const runtime = quickjs.newRuntime({maxStackSizeBytes: input.stackLimitKb * 1024})
  runtime.setModuleLoader((name) => (name === apiSpecifier ? input.runtime : {error: new Error(`Cannot import "${name}" while the definition runs: a table definition imports only ${apiSpecifier} and project files named in its import statements (bundled before it runs); it has no file system, network or Node modules`)}))
  const context = runtime.newContext()
  const sandbox = new Sandbox(context, runtime)
  installHost(context, post, sandbox.columns, input.distributions)
  sandbox.settle(context.evalCode(sameEveryRun, 'same-every-run.js')).dispose()
  sandbox.settle(context.evalCode(`import ${JSON.stringify(apiSpecifier)}`, 'prepare.mjs', {type: 'module'})).dispose()
  return sandbox
}

async function run(sandbox: Sandbox, message: RunMessage, port: NonNullable<typeof parentPort>, post: (message: WorkerMessage) => void): Promise<void> {
  sandbox.limit(message.timeLimitMs)
  const context = sandbox.context
  let harness: QuickJSHandle | undefined
  try {
    const exports = sandbox.settle(context.evalCode(message.code, bundleFileName, {type: 'module'}))
    harness = context.getProp(exports, 'default')
    exports.dispose()
    const ask = (method: string) => JSON.parse(sandbox.call(harness!, method, [])) as SandboxReply
    const started = ask('start')
    post(started)
    if (started.type !== 'needs-data') return
    const reply = await new Promise<DataMessage>((resolve) => port.once('message', resolve))
    for (const [name, {values, ...header}] of Object.entries(reply.data)) {
      sandbox.columns.push(values)
      sandbox.call(harness, 'load', [name, JSON.stringify(header)])
    }
    post(ask('build'))
  } catch (error) {
    if (error instanceof TimeUp) {
      // Let the harness name the last cell read, briefly: it runs in the sandbox too.
      sandbox.limit(lastReadAllowanceMs)
      let lastRead
      try {
        lastRead = harness ? (JSON.parse(sandbox.call(harness, 'lastRead', [])) ?? undefined) : undefined
      } catch {
        lastRead = undefined
      }
      return post({type: 'timeout', lastRead})
    }
    if (error instanceof SandboxError) return post({type: 'failed', failure: error.failure})
    throw error
  } finally {
    harness?.dispose()
  }
}

/**
 * The clock and the random numbers are the only inputs QuickJS would take from the machine; a table must depend on
 * its data alone (its staleness is read from the hashes of its inputs), so both are the same on every run: the clock
 * stands at 1970-01-01T00:00:00Z, and Math.random is a PRNG (mulberry32) with a fixed seed, fresh for each definition.
 */
const sameEveryRun = `(() => {
  let state = 0x2545f491
  Math.random = function random() {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const MachineDate = Date
  function FixedDate(...args) {
    if (!new.target) return new MachineDate(0).toString()
    return Reflect.construct(MachineDate, args.length === 0 ? [0] : args, new.target)
  }
  Object.setPrototypeOf(FixedDate, MachineDate)
  FixedDate.prototype = MachineDate.prototype
  Object.defineProperty(MachineDate.prototype, 'constructor', {value: FixedDate, writable: true, configurable: true})
  FixedDate.now = () => 0
  globalThis.Date = FixedDate
})()`

/** Calls into QuickJS, running its promise jobs until an answer settles (there is nothing else that could settle it). */
class Sandbox {
  /** The columns of the data files loaded, as the host serves them. */
  readonly columns: string[][] = []
  private allowedUntil = Number.POSITIVE_INFINITY
  private timeUp = false

  constructor(
    readonly context: QuickJSContext,
    private readonly runtime: QuickJSRuntime
  ) {
    runtime.setInterruptHandler(() => (this.timeUp ||= performance.now() > this.allowedUntil))
  }

  /** Frees the runtime and everything in it. */
  dispose(): void {
    this.context.dispose()
    this.runtime.dispose()
  }

  /** From now, the code in the sandbox may run for `milliseconds`. */
  limit(milliseconds: number): void {
    this.timeUp = false
    this.allowedUntil = performance.now() + milliseconds
  }

  /** Calls `object[method](...args)` and returns the string it answers (or its promise settles to). */
  call(object: QuickJSHandle, method: string, args: string[]): string {
    const context = this.context
    const handles = args.map((arg) => context.newString(arg))
    const result = context.callMethod(object, method, handles)
    for (const handle of handles) handle.dispose()
    const value = this.settle(result)
    const text = context.typeof(value) === 'string' ? context.getString(value) : ''
    value.dispose()
    return text
  }

  /** The value of an evaluation or call, once any promise it returned has settled. */
  settle(result: ReturnType<QuickJSContext['evalCode']>): QuickJSHandle {
    if (result.error) throw this.failure(result.error)
    const promise = result.value
    for (;;) {
      const state = this.context.getPromiseState(promise)
      if (state.type === 'fulfilled') {
        if (!state.notAPromise) promise.dispose()
        return state.value
      }
      if (state.type === 'rejected') {
        promise.dispose()
        throw this.failure(state.error)
      }
      const jobs = this.runtime.executePendingJobs()
      if (jobs.error) throw this.failure(jobs.error)
      if (jobs.value === 0) {
        throw new SandboxError({kind: 'definition', message: 'Its `build` returned a promise that never settles: a definition has no timers, files or network to wait for, so it must finish from its data alone.'})
      }
    }
  }

  private failure(error: QuickJSHandle): Error {
    if (this.timeUp) return new TimeUp()
    const dumped = this.context.dump(error) as {name?: string; message?: string; stack?: string} | string
    error.dispose()
    const described = typeof dumped === 'object' && dumped !== null ? dumped : {message: String(dumped)}
    const memory = described.name === 'InternalError' && described.message === 'out of memory'
    const message = described.name ? `${described.name}: ${described.message}` : String(described.message)
    return new SandboxError({kind: memory ? 'memory' : 'definition', message, frames: framesOf(described.stack ?? '', bundleFileName)})
  }
}

function installHost(context: QuickJSContext, post: (message: WorkerMessage) => void, columns: readonly string[][], distributions: string): void {
  let printed = 0
  const collators = new Map<string, Intl.Collator>()
  const host: SandboxHost = {
    print(text) {
      if (printed >= outputLimit) return
      const kept = text.slice(0, outputLimit - printed)
      printed += text.length
      post({type: 'output', text: printed > outputLimit ? `${kept}… (the rest was left out)\n` : kept})
    },
    compare(request) {
      const [a, b, locales, options] = JSON.parse(request) as [string, string, string | string[] | null, Intl.CollatorOptions | null]
      // The locale is fixed unless the definition names one, so a table sorts the same on every machine.
      const key = JSON.stringify([locales, options])
      let collator = collators.get(key)
      if (!collator) collators.set(key, (collator = new Intl.Collator(locales ?? 'en-US', options ?? undefined)))
      return collator.compare(a, b)
    },
    column(source, index) {
      return columns[source]?.[index] ?? '[[],[]]'
    },
    distributions() {
      return distributions
    }
  }
  const object = context.newObject()
  const print = context.newFunction('print', (text) => void host.print(context.getString(text)))
  const compare = context.newFunction('compare', (request) => context.newNumber(host.compare(context.getString(request))))
  const column = context.newFunction('column', (source, index) => context.newString(host.column(context.getNumber(source), context.getNumber(index))))
  const distributionsScript = context.newFunction('distributions', () => context.newString(host.distributions()))
  context.setProp(object, 'print', print)
  context.setProp(object, 'compare', compare)
  context.setProp(object, 'column', column)
  context.setProp(object, 'distributions', distributionsScript)
  context.setProp(context.global, hostName, object)
  for (const handle of [print, compare, column, distributionsScript, object]) handle.dispose()
}
