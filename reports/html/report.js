// Verdict filters and #check-… deep links. Without it the page still shows
// every check; nothing here fetches or evaluates data.
(() => {
  const buttons = [...document.querySelectorAll('[data-filter]')]
  const checks = [...document.querySelectorAll('details.check')]
  const chips = [...document.querySelectorAll('.chip')]
  const groups = [...document.querySelectorAll('.step-group')]
  const none = document.getElementById('no-checks')

  function apply(filter) {
    const shown = (el) => filter === 'all' || el.dataset.verdict === filter
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.filter === filter))
    for (const check of checks) check.hidden = !shown(check)
    for (const chip of chips) chip.classList.toggle('dimmed', !shown(chip))
    for (const group of groups) group.hidden = !group.querySelector('details.check:not([hidden])')
    none.hidden = checks.some((check) => !check.hidden)
  }

  function openFromHash() {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)))
    if (!(target instanceof HTMLDetailsElement)) return
    if (target.hidden) apply('all')
    target.open = true
    target.scrollIntoView()
  }

  for (const button of buttons) button.addEventListener('click', () => apply(button.dataset.filter))
  addEventListener('hashchange', openFromHash)
  openFromHash()
})()
