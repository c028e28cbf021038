// The framework ceiling: bare Express answering a small JSON document, nothing else.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/api/v2/o/userinfo/', (_req, res) => {
  res.set('Cache-Control', 'no-store').json({ sub: '6f1c', id: '6f1c', username: 'alice', email: 'alice@example.com', name: 'Alice Smith' });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
