declare module 'smartquotes' {
  const smartquotes: {string(text: string, options?: {retainLength?: boolean}): string}
  export default smartquotes
}
