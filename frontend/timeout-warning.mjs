// The GOV.UK timeout warning: shortly before a signed-in session would time out, a dialog
// offers "Stay signed in". Without JavaScript the server still ends the session and says so.

export function initTimeoutWarning(dialog) {
  const secondsLeft = Number(dialog.dataset.secondsLeft);
  const warningSeconds = Number(dialog.dataset.warningSeconds);
  if (!Number.isFinite(secondsLeft) || typeof dialog.showModal !== 'function') return;

  const form = dialog.querySelector('form');
  let warnTimer;
  let endTimer;

  function schedule(seconds) {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(0, seconds - warningSeconds) * 1000);
    // Time is up: load the page again and let the server say what happened.
    endTimer = setTimeout(() => window.location.reload(), seconds * 1000);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    });
    if (!response.ok) {
      window.location.reload();
      return;
    }
    const { secondsLeft: renewed } = await response.json();
    dialog.close();
    schedule(renewed);
  });

  // Escape would close the dialog without renewing anything: treat it as "Stay signed in".
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    form.requestSubmit();
  });

  schedule(secondsLeft);
}
