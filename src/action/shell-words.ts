// Splits a command line the way a POSIX shell splits words, without running a
// shell: whitespace separates, single quotes keep everything, double quotes
// keep everything but \" \\ \$ \` (and drop a backslash-newline), a backslash
// outside quotes escapes the next character. No expansion of any kind happens.
export function shellWords(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < line.length) {
    const c = line[i] as string
    if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated single quote at column ${i + 1} of: ${line}`)
      word += line.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      inWord = true
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated double quote in: ${line}`)
        const d = line[i] as string
        if (d === '"') break
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) {
          word += line[i + 1]
          i += 2
        } else if (d === '\\' && line[i + 1] === '\n') {
          i += 2
        } else {
          word += d
          i++
        }
      }
      i++
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error(`trailing backslash in: ${line}`)
      // A backslash-newline joins lines, as in a shell.
      if (line[i + 1] !== '\n') {
        word += line[i + 1]
        inWord = true
      }
      i += 2
    } else {
      word += c
      inWord = true
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}
