/** The few pages the server shows until the web app lands: a landing page and the first-admin setup form. */
import { html } from 'hono/html';

const style =
  'body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2433}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.45rem;font:inherit}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}#out{margin-top:1rem}';

export const landingPage = () =>
  html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>offboard</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>
          ${style}
        </style>
      </head>
      <body>
        <h1>offboard is running</h1>
        <p>
          The API is ready: see the <a href="/api/docs">API reference</a> and <a href="/api/openapi.json">the OpenAPI document</a>. Sign in
          with <code>POST /api/auth/sign-in</code>.
        </p>
        <p>Health: <a href="/api/health">/api/health</a>.</p>
      </body>
    </html>`;

export const setupPage = () =>
  html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>offboard: set up</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>
          ${style}
        </style>
      </head>
      <body>
        <h1>Set up offboard</h1>
        <p>Create your MSP and its first administrator.</p>
        <form id="f">
          <label for="name">Your MSP's name</label><input id="name" name="name" required /> <label for="adminName">Your name</label
          ><input id="adminName" required /> <label for="email">Email</label><input id="email" type="email" required />
          <label for="password">Password (at least 10 characters)</label><input id="password" type="password" minlength="10" required />
          <button>Create</button>
        </form>
        <p id="out" role="status"></p>
        <script>
          document.getElementById('f').addEventListener('submit', async (e) => {
            e.preventDefault();
            const token = new URLSearchParams(location.search).get('token');
            const v = (id) => document.getElementById(id).value;
            const r = await fetch('/api/setup', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ token, name: v('name'), admin: { name: v('adminName'), email: v('email'), password: v('password') } }),
            });
            const body = await r.json();
            document.getElementById('out').textContent = r.ok
              ? 'Done. Sign in with your email and password.'
              : body.error.message + ': ' + body.error.details.map((d) => d.path + ': ' + d.message).join('; ');
          });
        </script>
      </body>
    </html>`;
