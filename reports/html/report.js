// The list of checks, drawn from the page's JSON (reports/html/check-view.ts)
// a window at a time: only the rows in or near the viewport are in the
// document, and a row's evidence only once it is unfolded, so 5,000 checks
// open as fast as ten. Filters and search run over the data, never over
// elements. Every text is placed with textContent; nothing here fetches or
// evaluates data. Also: #check-… deep links, the step tiles' chips, printing.
(() => {
  const { checks } = JSON.parse(document.getElementById('checks-data').textContent)
  const list = document.getElementById('checks')
  const section = list.closest('section')
  const status = document.getElementById('shown-count')
  const verdictButtons = [...document.querySelectorAll('[data-filter]')]
  const layerSelect = document.getElementById('filter-layer')
  const stepSelect = document.getElementById('filter-step')
  const search = document.getElementById('filter-text')
  const chips = [...document.querySelectorAll('.chip[data-check]')]

  // Drawn beyond the viewport above and below (px): the rows a Tab or a short scroll reaches next.
  const OVERSCAN_PX = 600
  // Rows in the document at most, whatever the heights say (a tall window, a page zoomed out).
  const MAX_ROWS = 120
  // Rows drawn at least, wherever the list is.
  const MIN_ROWS = 4
  // A list this short is drawn whole: the browser's find-in-page sees all of it, for little work.
  const WHOLE_LIST_ROWS = 16
  // Row heights (px) assumed until a row of that shape has been measured: folded, unfolded; + the step heading.
  const GUESS_PX = { folded: 44, unfolded: 520, heading: 40 }

  const filter = { verdict: 'all', layer: '', step: '', text: '' }
  const expanded = checks.map((check) => check.expanded)
  const indexOfAnchor = new Map(checks.map((check, i) => [check.anchor, i]))
  /** Measured height (px) of each check's row, 0 until drawn; `shapes` says for which shape (unfolded, heading). */
  const heights = new Float64Array(checks.length)
  const shapes = new Uint8Array(checks.length)
  const measuredSum = { folded: [0, 0], unfolded: [0, 0] }
  let haystacks
  let matches = new Uint8Array(checks.length).fill(1)
  /** Indices of the checks that pass the filters, in list order. */
  let shown = checks.map((_, i) => i)
  /** Where each shown row starts (px from the list's top); tops[shown.length] is the list's height. */
  let tops = new Float64Array(shown.length + 1)
  const rows = new Map()
  let printing = false
  let scheduled = false

  const topSpacer = el('div', { class: 'spacer', 'aria-hidden': 'true' })
  const bottomSpacer = el('div', { class: 'spacer', 'aria-hidden': 'true' })
  list.append(topSpacer, bottomSpacer)

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value)
    for (const child of children) if (child !== undefined && child !== null) node.append(child)
    return node
  }

  const opensStep = (pos) => pos === 0 || checks[shown[pos - 1]].step !== checks[shown[pos]].step
  const shapeOf = (i, heading) => (expanded[i] ? 1 : 0) | (heading ? 2 : 0)

  function guessHeight(i, heading) {
    const [sum, n] = expanded[i] ? measuredSum.unfolded : measuredSum.folded
    const body = n ? sum / n : expanded[i] ? GUESS_PX.unfolded : GUESS_PX.folded
    return body + (heading ? GUESS_PX.heading : 0)
  }

  function heightAt(pos) {
    const i = shown[pos]
    const heading = opensStep(pos)
    return heights[i] && shapes[i] === shapeOf(i, heading) ? heights[i] : guessHeight(i, heading)
  }

  function layOut() {
    tops = new Float64Array(shown.length + 1)
    for (let pos = 0; pos < shown.length; pos++) tops[pos + 1] = tops[pos] + heightAt(pos)
  }

  /** The first position whose row ends below `y` (px from the list's top). */
  function positionAt(y) {
    let low = 0
    let high = shown.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (tops[mid + 1] <= y) low = mid + 1
      else high = mid
    }
    return low
  }

  // ---- one row ----

  function facts(pairs) {
    const dl = el('dl', { class: 'facts' })
    for (const [name, value] of pairs) if (value !== undefined) dl.append(el('dt', {}, name), el('dd', {}, value))
    return dl
  }
  const code = (text) => el('code', {}, text)
  const label = (text) => el('h4', {}, text)
  const text = (value) => el('p', { class: 'text' }, value)
  const pre = (value) => el('pre', {}, value)
  const muted = (value) => el('p', { class: 'muted' }, value)

  function exchangeSection(exchange) {
    const request = el('div', {}, label('Request'), pre(exchange.requestHead),
      exchange.requestBody ? pre(exchange.requestBody) : null, muted(exchange.requestBodyNote))
    const response = el('div', {}, label('Response'))
    if (exchange.responseHead) {
      response.append(pre(exchange.responseHead))
      if (exchange.responseBody) response.append(pre(exchange.responseBody))
      response.append(muted(exchange.responseBodyNote))
    }
    if (exchange.probeFacts) response.append(pre(exchange.probeFacts))
    if (exchange.failure) response.append(el('p', { class: 'failure' }, exchange.failure))
    return el('section', { class: 'exchange' },
      exchange.label ? el('strong', {}, exchange.label) : null,
      el('div', { class: 'exchange-grid' }, request, response),
      facts([
        ['Timing', exchange.timing],
        ['Request ID', exchange.requestId && code(exchange.requestId)],
        ['Answered by', exchange.answeredBy],
      ]),
      pre(exchange.repro))
  }

  function checkBody(check) {
    const body = el('div', { class: 'check-body', id: `${check.anchor}-body` }, facts([
      ['Id', code(check.id)],
      ['Spec', check.spec],
      ['Severity', check.severity],
      ['Layer', `${check.layer} · step ${check.step} ${check.stepName}`],
      ['Duration', check.duration],
    ]))
    if (check.expected || check.actual) {
      body.append(el('div', { class: 'compare' },
        el('div', {}, label('Expected'), text(check.expected)),
        el('div', {}, label('Actual'), text(check.actual))))
    }
    if (check.diagnosis) body.append(el('div', { class: 'note' }, label('Diagnosis'), text(check.diagnosis)))
    if (check.advice) body.append(el('div', { class: 'note' }, label('Advice'), text(check.advice)))
    if (check.reason) body.append(el('div', { class: 'note' }, label('Not applicable because'), text(check.reason)))
    const by = check.answeredBy
    if (by) {
      const signals = by.signals.length ? el('ul', { class: 'signals' }, ...by.signals.map((s) => el('li', {}, code(s)))) : undefined
      body.append(label('Answered by'), facts([
        ['Tier', by.tier],
        ['Product', by.product],
        ['Candidates', by.candidates?.join(', ')],
        ['Confidence', by.confidence],
        ['Step', by.step && `${by.step} · ${by.stepName}`],
        ['Reason', el('span', { class: 'text' }, by.reason)],
        ['Signals', signals],
      ]))
    }
    if (check.exchanges.length) body.append(label('Evidence'))
    for (const exchange of check.exchanges) body.append(exchangeSection(exchange))
    return body
  }

  function checkRow(i, heading) {
    const check = checks[i]
    const row = el('div', { class: 'row', role: 'listitem', id: check.anchor, 'data-verdict': check.verdict, 'data-index': i })
    if (heading) row.append(el('h3', { class: 'step-heading' }, `Step ${check.step} · ${check.stepName}`))
    const tag = `severity ${check.severity}` + (check.answeredBy ? ` · answered by ${check.answeredBy.who}` : '')
    const toggle = el('button', { type: 'button', class: 'toggle', 'aria-expanded': String(expanded[i]), 'aria-controls': `${check.anchor}-body` },
      el('span', { class: 'pill' }, check.verdictLabel), ' ', code(check.id), ' ',
      el('span', { class: 'check-title' }, check.title), ' ', el('span', { class: 'tag' }, tag))
    const card = el('div', { class: `check v-${check.group}` }, toggle)
    if (expanded[i]) card.append(checkBody(check))
    row.append(card)
    row.dataset.shape = String(shapeOf(i, heading))
    return row
  }

  // ---- the window ----

  const scheduleRender = () => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(() => render())
  }

  function visibleRange() {
    if (printing || shown.length <= WHOLE_LIST_ROWS) return [0, shown.length]
    const viewTop = -list.getBoundingClientRect().top
    // With the list below the fold, its first rows are drawn anyway: a Tab from the filters reaches them.
    const first = Math.min(positionAt(viewTop - OVERSCAN_PX), Math.max(0, shown.length - MIN_ROWS))
    let end = first
    while (end < shown.length && end - first < MAX_ROWS &&
      (tops[end] < viewTop + innerHeight + OVERSCAN_PX || end - first < MIN_ROWS)) end++
    return [first, end]
  }

  /** Puts the rows of the window in the list, keeping those already there (and so the focus), then measures them. */
  function draw() {
    const [first, end] = visibleRange()
    const wanted = []
    for (let pos = first; pos < end; pos++) {
      const i = shown[pos]
      const heading = opensStep(pos)
      let row = rows.get(i)
      if (!row || row.dataset.shape !== String(shapeOf(i, heading))) {
        row?.remove()
        row = checkRow(i, heading)
        rows.set(i, row)
      }
      row.setAttribute('aria-posinset', String(pos + 1))
      row.setAttribute('aria-setsize', String(shown.length))
      wanted.push(row)
    }
    const keep = new Set(wanted)
    for (const [i, row] of rows) if (!keep.has(row)) { row.remove(); rows.delete(i) }
    let next = topSpacer.nextSibling
    for (const row of wanted) {
      if (next === row) next = row.nextSibling
      else list.insertBefore(row, next)
    }
    topSpacer.style.height = `${tops[first]}px`
    bottomSpacer.style.height = `${tops[shown.length] - tops[end]}px`

    let changed = false
    for (const row of wanted) {
      const i = Number(row.dataset.index)
      const shape = Number(row.dataset.shape)
      const height = row.offsetHeight
      if (heights[i] === height && shapes[i] === shape) continue
      if (!heights[i] && !(shape & 2)) {
        const sums = shape & 1 ? measuredSum.unfolded : measuredSum.folded
        sums[0] += height
        sums[1] += 1
      }
      heights[i] = height
      shapes[i] = shape
      changed = true
    }
    return changed
  }

  /** The first drawn row in view and where it is, so the view stays put when heights above it change. */
  function anchorRow() {
    for (const row of list.children) {
      if (row.classList.contains('spacer')) continue
      const top = row.getBoundingClientRect().top
      if (top + row.offsetHeight > 0) return { row, top }
    }
    return undefined
  }

  function render() {
    scheduled = false
    const anchor = anchorRow()
    // Guessed heights become measured ones: lay out again until the window stands (twice is the rule).
    for (let pass = 0; pass < 3; pass++) {
      layOut()
      if (!draw()) break
    }
    if (anchor?.row.isConnected) {
      const moved = anchor.row.getBoundingClientRect().top - anchor.top
      if (Math.abs(moved) >= 1 && !printing) scrollBy(0, moved)
    }
  }

  function scrollToCheck(i) {
    const pos = shown.indexOf(i)
    if (pos < 0) return
    layOut()
    scrollTo(0, list.getBoundingClientRect().top + scrollY + tops[pos])
    render()
    rows.get(i)?.scrollIntoView({ block: 'start' })
    render()
  }

  // ---- filters ----

  function haystackOf(check) {
    return [check.id, check.title, check.layer, check.spec, check.verdictLabel, check.stepName, check.answeredBy?.who,
      check.expected, check.actual, check.diagnosis, check.advice, check.reason].filter(Boolean).join('\n').toLowerCase()
  }

  function apply() {
    // Read before anything changes, so no layout is redone for it.
    const sectionTop = section.getBoundingClientRect().top
    const step = filter.step === '' ? 0 : Number(filter.step)
    const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean)
    if (words.length) haystacks ??= checks.map(haystackOf)
    matches = new Uint8Array(checks.length)
    shown = []
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]
      // A warning is under its own filter, never under "fail" (check.group).
      if (filter.verdict !== 'all' && check.group !== filter.verdict) continue
      if (filter.layer && check.layer !== filter.layer) continue
      if (step && check.step !== step) continue
      if (words.length && !words.every((word) => haystacks[i].includes(word))) continue
      matches[i] = 1
      shown.push(i)
    }
    for (const button of verdictButtons) button.setAttribute('aria-pressed', String(button.dataset.filter === filter.verdict))
    for (const chip of chips) {
      const dimmed = !matches[Number(chip.dataset.check)]
      if (chip.classList.contains('dimmed') !== dimmed) chip.classList.toggle('dimmed', dimmed)
    }
    status.textContent = shown.length === checks.length ? `${checks.length} checks`
      : shown.length ? `Showing ${shown.length} of ${checks.length} checks` : `No checks match these filters (of ${checks.length}).`
    // Read from deep in the old list, a new one would show its end: start from its top, with the filters in view.
    if (sectionTop < 0) scrollBy(0, sectionTop)
    render()
  }

  function setFilter(change) {
    Object.assign(filter, change)
    layerSelect.value = filter.layer
    stepSelect.value = filter.step
    search.value = filter.text
    apply()
  }

  function toggle(i) {
    expanded[i] = !expanded[i]
    const row = rows.get(i)
    if (!row) return scheduleRender()
    const card = row.querySelector('.check')
    card.querySelector('.toggle').setAttribute('aria-expanded', String(expanded[i]))
    if (expanded[i]) card.append(checkBody(checks[i]))
    else card.querySelector('.check-body')?.remove()
    row.dataset.shape = String(shapeOf(i, row.querySelector('.step-heading') !== null))
    render()
  }

  /** Up, Down, Home and End move between the rows' toggles, drawing the row first when it is out of the window. */
  function moveFocus(event) {
    const row = event.target.closest('.row')
    const keys = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity }
    if (!row || !event.target.matches('.toggle') || !(event.key in keys)) return
    event.preventDefault()
    const pos = shown.indexOf(Number(row.dataset.index))
    const to = Math.min(shown.length - 1, Math.max(0, pos + keys[event.key]))
    const i = shown[to]
    if (!rows.has(i) || event.key === 'Home' || event.key === 'End') scrollToCheck(i)
    rows.get(i)?.querySelector('.toggle').focus()
  }

  function openFromHash() {
    const i = indexOfAnchor.get(decodeURIComponent(location.hash.slice(1)))
    if (i === undefined) return
    if (!matches[i]) setFilter({ verdict: 'all', layer: '', step: '', text: '' })
    if (!expanded[i]) {
      expanded[i] = true
      rows.get(i)?.remove()
      rows.delete(i)
    }
    scrollToCheck(i)
  }

  for (const button of verdictButtons) button.addEventListener('click', () => setFilter({ verdict: button.dataset.filter }))
  layerSelect.addEventListener('change', () => setFilter({ layer: layerSelect.value }))
  stepSelect.addEventListener('change', () => setFilter({ step: stepSelect.value }))
  search.addEventListener('input', () => setFilter({ text: search.value }))
  for (const more of document.querySelectorAll('button.more[data-step]')) {
    more.addEventListener('click', () => {
      setFilter({ step: more.dataset.step })
      list.scrollIntoView({ block: 'start' })
    })
  }
  list.addEventListener('click', (event) => {
    const button = event.target.closest('.toggle')
    if (button) toggle(Number(button.closest('.row').dataset.index))
  })
  list.addEventListener('keydown', moveFocus)
  // A link to the check already in the address bar fires no hashchange.
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#check-"]')
    if (link && link.hash === location.hash) {
      event.preventDefault()
      openFromHash()
    }
  })
  addEventListener('hashchange', openFromHash)
  addEventListener('scroll', scheduleRender, { passive: true })
  addEventListener('resize', () => {
    heights.fill(0)
    measuredSum.folded = [0, 0]
    measuredSum.unfolded = [0, 0]
    scheduleRender()
  })
  // A printout has every row that passes the filters, unfolded as on screen.
  addEventListener('beforeprint', () => { printing = true; render() })
  addEventListener('afterprint', () => { printing = false; render() })

  apply()
  openFromHash()
  performance.mark('layercheck:list-ready')
})()
