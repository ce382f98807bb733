#!/usr/bin/env node
// Starts the Bot API emulator (npm telegram-test-api 4.2.x) for the end-to-end tests, with a small
// compatibility layer for python-telegram-bot 22, patched inside this process only:
//   - getMe lacks `is_bot`                         -> answered here with a complete User
//   - bot messages carry `date` in milliseconds    -> seconds; JSON-string fields PTB sent are parsed back
//   - callback queries lose `chat_instance`        -> added (the chat's id, as Telegram's is per chat)
//   - updates carry the client's `botToken` field  -> removed (Telegram never sends the token back)
//   - edit methods and answerCallbackQuery return null -> true
//   - setMyCommands / getMyCommands / deleteMyCommands are missing -> kept per scope in memory
//   - any inline keyboard is accepted      -> more than 100 buttons refused, as Telegram does
//                                             ("Bad Request: reply markup is too long")
//   - sendPhoto / sendDocument are missing -> added: the multipart/form-data upload is read with the Fetch
//     API's FormData parser (Node 20), the message stored like a text with `photo` / `document` and
//     `caption`, the bytes kept in memory under the message's file_id; GET /files/<file_id> returns them
//     (a test route of this layer, as Telegram's getFile + download would)
// It has no long polling (getUpdates answers at once: the bot polls at an interval) and no 429s.
// Usage: node launch.js PORT [HOST]; prints "listening <url>" when ready.
'use strict';

const { Readable } = require('stream');
const TelegramServer = require('telegram-test-api');
const { routes } = require('telegram-test-api/lib/routes/index');
const { handle } = require('telegram-test-api/lib/routes/bot/utils');

const port = Number(process.argv[2]);
const host = process.argv[3] || '127.0.0.1';
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node launch.js PORT [HOST]  (a real port: telegram-test-api reads 0 as 9000)');
  process.exit(2);
}

const JSON_FIELDS = ['link_preview_options', 'reply_parameters', 'entities'];
const addBotMessage = TelegramServer.prototype.addBotMessage;
TelegramServer.prototype.addBotMessage = function patchedAddBotMessage(rawMessage, botToken) {
  for (const field of JSON_FIELDS) {
    if (typeof rawMessage[field] === 'string') {
      try { rawMessage[field] = JSON.parse(rawMessage[field]); } catch (e) { delete rawMessage[field]; }
    }
  }
  const message = addBotMessage.call(this, rawMessage, botToken);
  return { ...message, date: Math.floor(message.date / 1000) };
};

const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = function patchedFormatUpdate(update) {
  const formatted = formatUpdate(update);
  for (const message of [formatted.message, (formatted.callback_query || {}).message]) {
    if (message) delete message.botToken;   // the client's routing field: Telegram never sends a token
  }
  if (formatted.callback_query) {
    const chat = (update.callbackQuery.message || {}).chat || {};
    formatted.callback_query.chat_instance = update.callbackQuery.chat_instance || String(chat.id || 0);
  }
  return formatted;
};

const commands = {};
const scopeKey = (body) => {
  const scope = typeof body.scope === 'string' ? JSON.parse(body.scope) : (body.scope || { type: 'default' });
  return JSON.stringify(scope);
};
const compat = [
  (app) => handle(app, '/bot:token/getMe', (req, res) => res.sendResult({
    ok: true,
    result: {
      id: 666, is_bot: true, first_name: 'Test First name', username: 'TestNameBot',
      can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
    },
  })),
  (app) => handle(app, '/bot:token/setMyCommands', (req, res) => {
    const list = typeof req.body.commands === 'string' ? JSON.parse(req.body.commands) : req.body.commands;
    commands[`${req.params.token}|${scopeKey(req.body)}`] = list || [];
    res.sendResult({ ok: true, result: true });
  }),
  (app) => handle(app, '/bot:token/getMyCommands', (req, res) => res.sendResult({
    ok: true, result: commands[`${req.params.token}|${scopeKey(req.body)}`] || [],
  })),
  (app) => handle(app, '/bot:token/deleteMyCommands', (req, res) => {
    delete commands[`${req.params.token}|${scopeKey(req.body)}`];
    res.sendResult({ ok: true, result: true });
  }),
  (app) => handle(app, '/bot:token/answerCallbackQuery', (req, res) => res.sendResult({ ok: true, result: true })),
];
const MAX_BUTTONS = 100;
const buttonCount = (body) => {
  let markup = body.reply_markup;
  if (typeof markup === 'string') {
    try { markup = JSON.parse(markup); } catch (e) { return 0; }
  }
  return ((markup || {}).inline_keyboard || []).reduce((n, row) => n + row.length, 0);
};
for (const method of ['sendMessage', 'editMessageText', 'editMessageReplyMarkup']) {
  compat.push((app) => handle(app, `/bot:token/${method}`, (req, res, next) => {
    if (buttonCount(req.body) > MAX_BUTTONS) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: reply markup is too long' });
      return;
    }
    next();
  }));
}
for (const method of ['editMessageText', 'editMessageReplyMarkup']) {
  compat.push((app, server) => handle(app, `/bot:token/${method}`, (req, res) => {
    server[method](req.body);
    res.sendResult({ ok: true, result: true });
  }));
}
const files = new Map();          // file_id -> { name, bytes }
let nextFile = 1;
const FILE_FIELDS = { sendPhoto: 'photo', sendDocument: 'document' };
for (const [method, field] of Object.entries(FILE_FIELDS)) {
  compat.push((app, server) => handle(app, `/bot:token/${method}`, (req, res) => {
    const type = req.headers['content-type'] || '';
    const form = type.startsWith('multipart/form-data')
      ? new Response(Readable.toWeb(req), { headers: { 'content-type': type } }).formData()
      : Promise.resolve(null);
    form.then(async (data) => {
      const body = data ? Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === 'string')) : req.body;
      const upload = data ? data.get(field) : null;
      if (!upload || typeof upload === 'string') {
        res.status(400).json({ ok: false, error_code: 400, description: `Bad Request: there is no ${field} in the request` });
        return;
      }
      const fileId = `file${nextFile}`;
      nextFile += 1;
      const bytes = Buffer.from(await upload.arrayBuffer());
      files.set(fileId, { name: upload.name, bytes });
      const sent = field === 'photo'
        ? { photo: [{ file_id: fileId, file_unique_id: fileId, width: 1100, height: 506, file_size: bytes.length }] }
        : { document: { file_id: fileId, file_unique_id: fileId, file_name: upload.name, file_size: bytes.length } };
      const message = server.addBotMessage({ ...body, ...sent }, req.params.token);
      delete message.text;
      res.sendResult({ ok: true, result: message });
    }).catch((error) => {
      res.status(400).json({ ok: false, error_code: 400, description: `Bad Request: ${error.message}` });
    });
  }));
}
compat.push((app) => app.get('/files/:fileId', (req, res) => {
  const file = files.get(req.params.fileId);
  if (!file) {
    res.status(404).json({ ok: false, description: 'no such file' });
    return;
  }
  res.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name || 'file')}`);
  res.type('application/octet-stream').send(file.bytes);
}));
routes.unshift(...compat);

const server = new TelegramServer({ port, host, storeTimeout: 600 });
server.start().then(() => {
  console.log(`listening ${server.config.apiURL}`);
}, (error) => {
  console.error(`could not start: ${error.message}`);
  process.exit(1);
});
const stop = () => server.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
