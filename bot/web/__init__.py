"""The web 督办看板: server-rendered pages beside the bot for the people at a desk (issue 24).

Decisions:
- Starlette + Jinja2 on uvicorn, pages rendered on the server, one local stylesheet (bot/web/static), no
  JavaScript and no CDN: many government intranets reach none. Words from the catalogue (`m.WEB`).
- Where it runs: `taskbot run --web HOST:PORT` serves it in the bot's own process and event loop (PTB's
  "custom webhook bot" pattern: the Application is started by hand and uvicorn's Server is awaited beside it,
  sharing the bot's engine); `taskbot web --listen HOST:PORT` serves it alone (a second process on
  PostgreSQL). Links point at WEB_BASE_URL (default http://HOST:PORT).
- Login without passwords: `/web` in a private chat, or `taskbot web-link USER_ID`, gives a one-time link
  valid 10 minutes; the link's page has one 登录 button (a GET spends nothing, so link previews and scanners
  cannot use it up); the POST sets the session cookie: HttpOnly, SameSite=Strict, Secure when WEB_BASE_URL
  is https. **Session lifetime: 8 hours** (a working day), fixed from login, ended early by 退出. See
  bot/chat/web_access.py.
- Roles are checked on the server for every page and action: a coordinator sees everything; a unit the
  tasks it leads or supervises (all their units) and its own assignments elsewhere (only its own row); the
  month's ranking, the 通报 and the audit log are for coordinators. Refusals are 403 and audited
  (`access.refused`); logins (`web.login`, `web.login.refused`), logouts, downloads and every action are
  audited; forms carry a CSRF token (HMAC of the session token).
- Layout: phone first (one column, tables scroll inside their box, never the page); from 1200 px (a
  1920×1080 wall screen) the overview's lights stand side by side in larger type.
- Actions enter the chat's services (bot/chat): 退办, 办结/reopen, 延期 decisions, 一键催办 (preview, confirm),
  a unit's report, an invite. The review of an extraction is the review sheet's, on the page: upload, fix a
  cell, import (bot/web/extract.py).
- The 总览's figures are added up by the database (bot/store/overview.py `tally`), not from the digest's
  50,000 rows; the month's ranking is kept 10 minutes, each scope's 总览 a minute (an action on the 看板
  clears it): see bot/web/views.py; the numbers are in the README's Benchmarks.
"""
