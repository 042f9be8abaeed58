// shellWords: a command line split the way a POSIX shell splits words, with
// no expansion, and a clear error for a line a shell would not accept.
import { shellWords } from '../../src/action/shell-words.js'

describe('shellWords: words', () => {
  test.each<[string, string, string[]]>([
    ['an empty line', '', []],
    ['only whitespace', ' \t\n  ', []],
    ['one word', 'nginx', ['nginx']],
    ['plain words', 'echo hello world', ['echo', 'hello', 'world']],
    ['several spaces between words', 'a    b', ['a', 'b']],
    ['leading and trailing spaces', '   a b   ', ['a', 'b']],
    ['tabs', 'a\tb\t\tc', ['a', 'b', 'c']],
    ['newlines', 'a\nb\n\nc', ['a', 'b', 'c']],
    ['mixed whitespace', ' a \t\n b\r\nc ', ['a', 'b', 'c']],
    [
      'nothing is expanded',
      'echo $HOME ~ * `id` $(id)',
      ['echo', '$HOME', '~', '*', '`id`', '$(id)']
    ],
    ['operators are plain words', 'a && b | c; d > e', ['a', '&&', 'b', '|', 'c;', 'd', '>', 'e']],
    // single quotes
    ['single-quoted words', "'a b' c", ['a b', 'c']],
    ['single quotes keep several spaces', "'a   b'", ['a   b']],
    ['single quotes keep backslashes', "'a\\b\\'", ['a\\b\\']],
    ['single quotes keep double quotes', `'say "hi"'`, ['say "hi"']],
    ['single quotes keep $ and backticks', "'$HOME `id`'", ['$HOME `id`']],
    ['single quotes keep newlines', "'a\nb'", ['a\nb']],
    // double quotes
    ['double-quoted words', '"a b" c', ['a b', 'c']],
    ['\\" in double quotes', '"say \\"hi\\""', ['say "hi"']],
    ['\\\\ in double quotes', '"a\\\\b"', ['a\\b']],
    ['\\$ in double quotes', '"\\$HOME"', ['$HOME']],
    ['\\` in double quotes', '"\\`id\\`"', ['`id`']],
    ['other backslashes kept in double quotes', '"a\\nb\\tc\\x"', ['a\\nb\\tc\\x']],
    ['a lone backslash kept in double quotes', '"C:\\ dir"', ['C:\\ dir']],
    ['double quotes keep single quotes', `"it's"`, ["it's"]],
    ['double quotes keep $ unexpanded', '"$HOME"', ['$HOME']],
    ['double quotes keep newlines', '"a\nb"', ['a\nb']],
    // backslash outside quotes
    ['backslash-escaped space', 'a\\ b c', ['a b', 'c']],
    ['backslash-escaped double quote', '\\"a\\"', ['"a"']],
    ['backslash-escaped single quote', "it\\'s", ["it's"]],
    ['backslash-escaped backslash', 'a\\\\b', ['a\\b']],
    ['backslash before an ordinary character', '\\a\\b', ['ab']],
    ['backslash-escaped tab', 'a\\\tb', ['a\tb']],
    // empty words and joined parts
    ["'' is an empty word", "''", ['']],
    ['"" is an empty word', '""', ['']],
    ['empty words between others', 'a \'\' "" b', ['a', '', '', 'b']],
    ['adjacent quoted parts make one word', `a'b c'"d e"f`, ['ab cd ef']],
    ['quoted option value', `--opt="a b" -x'1 2'`, ['--opt=a b', '-x1 2']],
    ['an empty quote joined to a word is not an extra word', "a''b", ['ab']],
    // backslash-newline
    ['backslash-newline between words continues the line', 'a \\\nb', ['a', 'b']],
    ['backslash-newline inside a word joins it', 'ab\\\ncd', ['abcd']],
    ['backslash-newline alone is no word', '\\\n', []],
    ['backslash-newline at the end', 'a \\\n', ['a']],
    [
      'a multi-line command with continuations',
      'sh -c \\\n  "echo ready && sleep 3600" \\\n  --flag',
      ['sh', '-c', 'echo ready && sleep 3600', '--flag']
    ]
  ])('%s', (_title, line, words) => {
    expect(shellWords(line)).toEqual(words)
  })
})

describe('shellWords: errors', () => {
  test.each<[string, string, RegExp]>([
    ['unterminated single quote', "echo 'abc", /unterminated single quote at column 6/],
    ['a lone single quote', "'", /unterminated single quote at column 1/],
    ['unterminated double quote', 'echo "abc', /unterminated double quote/],
    ['a lone double quote', '"', /unterminated double quote/],
    ['escaped closing double quote', 'echo "abc\\"', /unterminated double quote/],
    ['double quote ending in a backslash', '"abc\\', /unterminated double quote/],
    ['trailing backslash', 'echo abc\\', /trailing backslash/],
    ['a lone backslash', '\\', /trailing backslash/],
    ['double quote inside single quotes does not close it', `'a"`, /unterminated single quote/]
  ])('%s', (_title, line, message) => {
    expect(() => shellWords(line)).toThrow(message)
  })

  test('the error shows the line', () => {
    expect(() => shellWords("run 'x")).toThrow("run 'x")
  })
})
