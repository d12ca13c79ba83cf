// Which delivery channels a configuration turns on, and the delivery settings the configuration refuses.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { deliveryChannelsOf } from '../../src/delivery';
import { expectCode } from '../helpers/errors';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const external = { MICROCRED_CHAIN: 'external', MICROCRED_RPC_URLS: 'https://rpc.example.org', MICROCRED_CHAIN_ID: '1', MICROCRED_REGISTRY: '0x5FbDB2315678afecb367f032d93F642f64180aa3', MICROCRED_ANCHOR_KEY_FILE: '/k' };

describe('delivery settings', () => {
  it('turns on email in the embedded default (the mail catcher) and with an SMTP server; the webhook with its URL', () => {
    expect(deliveryChannelsOf(loadConfig({ env: {} }))).toEqual(['email']);
    expect(deliveryChannelsOf(loadConfig({ env: external }))).toEqual([]);
    expect(deliveryChannelsOf(loadConfig({ env: { ...external, MICROCRED_SMTP_HOST: 'smtp.example.edu' } }))).toEqual(['email']);
    expect(deliveryChannelsOf(loadConfig({ env: { ...external, MICROCRED_WEBHOOK_URL: 'https://lms.example.edu/hook', MICROCRED_WEBHOOK_SECRET: SECRET } }))).toEqual(['webhook']);
  });

  it('refuses a webhook URL without a secret, a malformed secret, and an SMTP user without a password', () => {
    expectCode(() => loadConfig({ env: { MICROCRED_WEBHOOK_URL: 'https://lms.example.edu/hook' } }), 'ERR_CONFIG_INVALID');
    expectCode(() => loadConfig({ env: { MICROCRED_WEBHOOK_URL: 'https://lms.example.edu/hook', MICROCRED_WEBHOOK_SECRET: 'hunter2' } }), 'ERR_CONFIG_INVALID');
    expectCode(() => loadConfig({ env: { MICROCRED_WEBHOOK_URL: 'ftp://lms.example.edu/hook', MICROCRED_WEBHOOK_SECRET: SECRET } }), 'ERR_CONFIG_INVALID');
    expectCode(() => loadConfig({ env: { MICROCRED_SMTP_HOST: 'smtp.example.edu', MICROCRED_SMTP_USER: 'school' } }), 'ERR_CONFIG_INVALID');
    const config = loadConfig({ env: { MICROCRED_SMTP_HOST: 'smtp.example.edu', MICROCRED_SMTP_PORT: '465', MICROCRED_SMTP_SECURE: 'true', MICROCRED_SMTP_USER: 'school', MICROCRED_SMTP_PASS: 'pw' } });
    expect(config.delivery.smtp).toMatchObject({ host: 'smtp.example.edu', port: 465, secure: true, user: 'school', pass: 'pw' });
  });
});
