/**
 * The small script the preview server adds to the page it serves (never to the HTML file on disk). It listens to
 * the server's events: on a new render it reloads the page where the reader was; when the latest build failed it
 * lays an overlay listing each error (`file:line:col` and message) over the last good render, and takes it away
 * when a build succeeds again.
 */

/** Where the server sends its events (server-sent events). */
export const eventsPath = '/__manuscript/events'
/** The id of the overlay element, for tests and for styling. */
export const overlayId = 'manuscript-watch-overlay'

export interface PreviewError {
  file: string
  line: number
  column: number
  message: string
  rule?: string
}

/** What the server says: `hello` on connecting and `state` after every build. */
export interface PreviewState {
  /** Counts good renders; the page reloads when the server's is not the one it was served with. */
  version: number
  /** Errors of the latest build; empty when it succeeded. */
  errors: PreviewError[]
}

/** The script element for a page served at render `version`. */
export function clientScript(version: number): string {
  return `<script data-manuscript-watch>(${client.toString()})(${JSON.stringify({version, eventsPath, overlayId})})</script>`
}

// Runs in the reader's browser: plain ES2017, no imports, nothing from this module's scope.
function client(settings: {version: number; eventsPath: string; overlayId: string}): void {
  const scrollKey = `manuscript-watch-scroll:${location.pathname}`
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual'

  // Back where the reader was before the reload; again once images have loaded and moved the text.
  const saved = sessionStorage.getItem(scrollKey)
  if (saved !== null) {
    const [x, y] = saved.split(',').map(Number)
    const restore = () => window.scrollTo(x, y)
    restore()
    document.addEventListener('DOMContentLoaded', restore)
    window.addEventListener('load', () => {
      restore()
      sessionStorage.removeItem(scrollKey)
    })
  }

  const reload = () => {
    sessionStorage.setItem(scrollKey, `${window.scrollX},${window.scrollY}`)
    location.reload()
  }

  interface ShownError {
    file: string
    line: number
    column: number
    message: string
    rule?: string
  }

  const showErrors = (errors: ShownError[]) => {
    let overlay = document.getElementById(settings.overlayId)
    if (errors.length === 0) {
      overlay?.remove()
      return
    }
    if (!overlay) {
      overlay = document.createElement('div')
      overlay.id = settings.overlayId
      overlay.setAttribute('role', 'alert')
      overlay.style.cssText =
        'position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.82);color:#fff;' +
        'font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2em;box-sizing:border-box'
      document.body.appendChild(overlay)
    }
    overlay.textContent = ''
    const title = document.createElement('p')
    title.style.cssText = 'font-weight:bold;color:#ff8a80;margin:0 0 1em'
    title.textContent = `The latest build failed (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}); this is the last good render. Fix and save to update.`
    overlay.appendChild(title)
    const list = document.createElement('ul')
    list.style.cssText = 'list-style:none;margin:0;padding:0'
    for (const error of errors) {
      const item = document.createElement('li')
      item.style.cssText = 'margin:0 0 .8em'
      const where = document.createElement('span')
      where.className = 'location'
      where.style.cssText = 'color:#ffd180'
      // A build that could not run at all (no manuscript found) has no place.
      where.textContent = error.file ? `${error.file}:${error.line}:${error.column}  ` : ''
      const message = document.createElement('span')
      message.className = 'message'
      message.textContent = `${error.message}${error.rule ? `  (${error.rule})` : ''}`
      item.append(where, message)
      list.appendChild(item)
    }
    overlay.appendChild(list)
  }

  const events = new EventSource(settings.eventsPath)
  events.onmessage = (event: MessageEvent<string>) => {
    const state = JSON.parse(event.data) as {version: number; errors: ShownError[]}
    if (state.version !== settings.version) reload()
    else showErrors(state.errors)
  }
}
