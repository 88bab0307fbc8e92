import { describe, expect, test } from 'vitest'
import { REDACTED, Redactor } from '../../harness/http/redactor.ts'
import { secretFieldRule } from '../../harness/http/secret-fields.ts'

const PASSWORD = 'hunter2-correct-horse'
const TOKEN = 'tok-unit-7d1e0b'

describe('which field names hold secrets', () => {
  const isSecret = secretFieldRule()

  test('the defaults, whatever the case and separators, and as the last words of a longer name', () => {
    for (const name of ['password', 'PASSWORD', 'passwd', 'pass', 'secret', 'token', 'access_token', 'refreshToken', 'api_key', 'api-key',
      'apiKey', 'APIKEY', 'X-Api-Key', 'client_secret', 'Authorization', 'private_key', 'new_password', 'currentPassword', 'stripe_api_key']) {
      expect(isSecret(name), name).toBe(true)
    }
  })

  test('no match inside a word, nor on a name that only starts with a secret word', () => {
    for (const name of ['passage', 'bypass', 'compass', 'secretary', 'tokens', 'token_type', 'max_tokens', 'name', 'email', 'key', 'note', 'username']) {
      expect(isSecret(name), name).toBe(false)
    }
  })

  test("the profile's names are matched like the defaults", () => {
    const withPin = secretFieldRule(['member_pin'])
    expect(withPin('memberPin')).toBe(true)
    expect(withPin('MEMBER-PIN')).toBe(true)
    expect(withPin('old_member_pin')).toBe(true)
    expect(withPin('pin')).toBe(false)
    expect(isSecret('member_pin')).toBe(false)
  })
})

describe('masking secret fields in evidence', () => {
  const redactor = () => new Redactor({ LAYERCHECK_TOKEN: TOKEN })

  test('JSON at any depth; other fields, and the JSON itself, intact', () => {
    const body = JSON.stringify({ name: 'Alice', password: PASSWORD, profile: { api_key: 'ak-123456', keys: [{ client_secret: 'cs-abcdef' }] }, passage: 'kept' })
    const masked = redactor().text(body)
    expect(JSON.parse(masked)).toEqual({ name: 'Alice', password: REDACTED, profile: { api_key: REDACTED, keys: [{ client_secret: REDACTED }] }, passage: 'kept' })
  })

  test('a JSON excerpt cut off in the middle of a secret, and pretty-printed JSON with escapes', () => {
    expect(redactor().text('{"user":"a","password":"hunter2-cor… [812 more bytes]')).toBe(`{"user":"a","password":"${REDACTED}`)
    expect(redactor().text('{\n  "token" : "a\\"b\\\\c",\n  "n": 1\n}')).toBe(`{\n  "token" : "${REDACTED}",\n  "n": 1\n}`)
  })

  test('JSON held in a JSON string, as a structured log line keeps a body', () => {
    const line = JSON.stringify({ level: 'info', msg: 'login', body: JSON.stringify({ user: 'alice', password: 'pw-not-learnt' }) })
    expect(JSON.parse(JSON.parse(redactor().text(line)).body)).toEqual({ user: 'alice', password: REDACTED })
  })

  test('a bare number gives way to a string, so the JSON still parses', () => {
    expect(JSON.parse(redactor().text('{"pass": 123456, "count": 3}'))).toEqual({ pass: REDACTED, count: 3 })
    const r = redactor()
    r.learnSecretsFrom('{"pass": 123456}')
    expect(JSON.parse(r.text('{"pass": 123456}'))).toEqual({ pass: REDACTED })
  })

  test('form bodies, query strings and key=value log lines', () => {
    const r = redactor()
    expect(r.text('username=alice&password=s3cr%21t&remember=1')).toBe(`username=alice&password=${REDACTED}&remember=1`)
    expect(r.text('https://api.example.com/v1?api_key=abc&page=2')).toBe(`https://api.example.com/v1?api_key=${REDACTED}&page=2`)
    expect(r.text('INFO login user=alice password="two words" status=401')).toBe(`INFO login user=alice password="${REDACTED}" status=401`)
    expect(r.text("INFO body={'username': 'alice', 'password': 'pw'}")).toBe(`INFO body={'username': 'alice', 'password': '${REDACTED}'}`)
  })

  test('nothing to mask: the text is returned as it was', () => {
    const text = '{"name":"Alice","passage":"a passage","token_type":"bearer","email":"alice@example.com"} key=value'
    expect(redactor().text(text)).toBe(text)
  })

  test("a secret field's value sent is masked wherever it comes back, even without its name", () => {
    const r = redactor()
    r.learnSecretsFrom(JSON.stringify({ name: 'Alice', credentials: { password: PASSWORD } }))
    expect(r.text(`{"detail":[{"loc":["body","x"],"input":"${PASSWORD}"}]}`)).toBe(`{"detail":[{"loc":["body","x"],"input":"${REDACTED}"}]}`)
    expect(r.text(`2025-06-01 INFO got ${PASSWORD} from Alice`)).toBe(`2025-06-01 INFO got ${REDACTED} from Alice`)
  })

  test('a short value is masked next to its name only: elsewhere it is too likely to be ordinary text', () => {
    const r = redactor()
    r.learnSecretsFrom('{"password":"abc"}')
    expect(r.text('{"password":"abc"} abc')).toBe(`{"password":"${REDACTED}"} abc`)
  })

  test('tokens from the environment are still masked, in and out of secret fields', () => {
    expect(redactor().text(`{"note":"${TOKEN}","refresh_token":"${TOKEN}x"}`)).toBe(`{"note":"${REDACTED}","refresh_token":"${REDACTED}"}`)
  })

  test("the profile's field names", () => {
    const r = new Redactor({}, secretFieldRule(['member_pin']))
    expect(r.text('{"memberPin":"4821","name":"Alice"}')).toBe(`{"memberPin":"${REDACTED}","name":"Alice"}`)
  })

  test('repro references: a field value becomes $LAYERCHECK_SECRET_<FIELD>, a token its own variable', () => {
    expect(redactor().asEnvReferences(`{"new-password":"${PASSWORD}","note":"${TOKEN}"}`)).toEqual([
      '{"new-password":"', { env: 'LAYERCHECK_SECRET_NEW_PASSWORD' }, '","note":"', { env: 'LAYERCHECK_TOKEN' }, '"}',
    ])
  })
})
