/**
 * StopOnSignals, in this process (signals are emitted as events, the exit is recorded): the first signal prints one
 * line and aborts the command's signal; the process exits once the command settles (main calls exit()), at the
 * latest after the grace time; a second signal exits at once; a library's own listener for these signals is
 * removed, so that it cannot end the process before the command has cleaned up.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {StopOnSignals, StopRequest} from '../../pipeline/cli/stop.ts'
import {Reporter} from '../../pipeline/diagnostics/reporter.ts'

class Lines {
  text = ''
  write(chunk: string): boolean {
    this.text += chunk
    return true
  }
}

let stop: StopOnSignals | undefined
afterEach(() => stop?.dispose())

function stopper(options: {graceMs?: number; exitCode?: number} = {}) {
  const lines = new Lines()
  const exits: number[] = []
  stop = new StopOnSignals(new Reporter({stream: lines as unknown as NodeJS.WritableStream, color: false}), {...options, exit: (code) => void exits.push(code)})
  return {stop, lines, exits}
}

describe('StopOnSignals', () => {
  it('aborts on the first signal with one line, and exits with 128 + its number when asked', () => {
    const {stop, lines, exits} = stopper({graceMs: 60_000})
    process.emit('SIGTERM')
    expect(stop.signal.aborted).toBe(true)
    expect(stop.signal.reason).toBeInstanceOf(StopRequest)
    expect(lines.text).toBe('Stopped by SIGTERM.\n')
    expect(exits).toEqual([])
    stop.exit()
    expect(exits).toEqual([143])
  })

  it('exits at once on a second signal, and after the grace time if the command never settles', async () => {
    const first = stopper({graceMs: 60_000})
    process.emit('SIGINT')
    process.emit('SIGINT')
    expect(first.exits).toEqual([130])
    expect(first.lines.text).toBe('Stopped by Ctrl-C.\n')
    first.stop.dispose()

    const second = stopper({graceMs: 50, exitCode: 0})
    process.emit('SIGHUP')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(second.exits).toEqual([0])
  })

  it('removes a library’s own listener for the signals as soon as it is added', async () => {
    const {stop} = stopper()
    const library = () => undefined
    process.on('SIGINT', library)
    await Promise.resolve()
    expect(process.listeners('SIGINT')).not.toContain(library)
    stop.dispose()
    // Once the command is done, listeners are left alone.
    process.on('SIGINT', library)
    await Promise.resolve()
    expect(process.listeners('SIGINT')).toContain(library)
    process.off('SIGINT', library)
  })
})
