// The YAML parser of the two inputs written in YAML (registries, services).
// It is the largest dependency of the main step, and most steps give neither
// input, so the bundle keeps it in a chunk of its own that is loaded only when
// one of them is given: `loadYaml` before the inputs are read, then
// `parseYaml` as the (synchronous) reading of those inputs needs it.
type Parse = (text: string) => unknown

let parse: Parse | undefined

export async function loadYaml(): Promise<void> {
  parse ??= (await import('yaml')).parse
}

export function parseYaml(text: string): unknown {
  if (!parse) {
    throw new Error(
      'internal error: the YAML parser was not loaded before the inputs were read (loadYaml)'
    )
  }
  return parse(text)
}
