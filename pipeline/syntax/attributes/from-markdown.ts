/**
 * mdast-util-from-markdown handlers turning `attributes` tokens into `attributes` nodes
 * (see `Attributes` in ../types.ts). Positions come from the tokens.
 */
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import type {Attributes} from '../types.ts'

/** Backslash escapes in a value (as in pandoc): `\"` means `"`, `\\` means `\`. */
function unescapeValue(raw: string): string {
  let result = ''
  for (let index = 0; index < raw.length; index++) {
    const character = raw[index]
    const next = raw[index + 1]
    if (character === '\\' && next !== undefined && /[!-/:-@[-`{-~]/.test(next)) {
      result += next
      index++
    } else {
      result += character
    }
  }
  return result
}

function currentAttributes(context: CompileContext): Attributes {
  const node = context.stack[context.stack.length - 1]
  if (!node || node.type !== 'attributes') {
    throw new Error('Expected an `attributes` node on the stack (the attributes syntax extension is missing)')
  }
  return node
}

/** The from-markdown extension: register with `fromMarkdown(doc, {extensions: [attributes()], mdastExtensions: [attributesFromMarkdown()]})`. */
export function attributesFromMarkdown(): Extension {
  // Attribute blocks never nest, so one pending key/value pair is enough.
  let pendingKey = ''
  let pendingValue = ''

  return {
    enter: {
      attributes(this: CompileContext, token: Token) {
        const node: Attributes = {type: 'attributes', value: '', classes: [], attributes: {}}
        this.enter(node, token)
      },
      attributesKeyValue() {
        pendingKey = ''
        pendingValue = ''
      }
    },
    exit: {
      attributes(this: CompileContext, token: Token) {
        const node = currentAttributes(this)
        const source = this.sliceSerialize(token)
        node.value = source.slice(1, -1)
        this.exit(token)
      },
      attributesId(this: CompileContext, token: Token) {
        currentAttributes(this).id = this.sliceSerialize(token)
      },
      attributesClass(this: CompileContext, token: Token) {
        currentAttributes(this).classes.push(this.sliceSerialize(token))
      },
      attributesUnnumberedMarker(this: CompileContext) {
        currentAttributes(this).classes.push('unnumbered')
      },
      attributesRawFormat(this: CompileContext, token: Token) {
        currentAttributes(this).rawFormat = this.sliceSerialize(token)
      },
      attributesKey(this: CompileContext, token: Token) {
        pendingKey = this.sliceSerialize(token)
      },
      attributesValue(this: CompileContext, token: Token) {
        pendingValue = unescapeValue(this.sliceSerialize(token))
      },
      attributesKeyValue(this: CompileContext) {
        const node = currentAttributes(this)
        // As in pandoc: `id=` and `class=` set the identifier and classes rather than a key.
        if (pendingKey === 'id') node.id = pendingValue
        else if (pendingKey === 'class') node.classes.push(...pendingValue.split(/\s+/).filter(Boolean))
        else node.attributes[pendingKey] = pendingValue
      }
    }
  }
}
