import nodemailer from 'nodemailer';
import { VigilError } from '../../model/errors.ts';
import type { ChannelDriver } from '../types.ts';
import type { EmailChannel } from './config.ts';
import { buildMessage } from './message.ts';

export { emailChannelSchema, type EmailChannel } from './config.ts';
export { buildMessage } from './message.ts';

/** SMTP through nodemailer: `tls` = implicit TLS, `starttls` = upgrade required, `none` = plain. */
export const emailDriver: ChannelDriver<EmailChannel> = {
  type: 'email',
  async send(channel, message) {
    const transport = nodemailer.createTransport({
      host: channel.host,
      port: channel.port,
      secure: channel.security === 'tls',
      requireTLS: channel.security === 'starttls',
      ignoreTLS: channel.security === 'none',
      auth: channel.auth ? { user: channel.auth.user, pass: channel.auth.password } : undefined,
      tls: { rejectUnauthorized: !channel.allowSelfSigned },
      connectionTimeout: channel.timeoutMs,
      greetingTimeout: channel.timeoutMs,
      socketTimeout: channel.timeoutMs,
    });
    try {
      const info = await transport.sendMail(buildMessage(channel, message));
      const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1]);
      return Number.isFinite(code) ? { status: code } : {};
    } catch (e) {
      const err = e as Error & { responseCode?: number; code?: string };
      throw Object.assign(
        new VigilError(
          'VIGIL_NOTIFY_FAILED',
          `SMTP ${channel.host}:${channel.port}: ${err.code ? err.code + ': ' : ''}${err.message}`,
        ),
        { httpStatus: err.responseCode },
      );
    } finally {
      transport.close();
    }
  },
  secrets: (c) => (c.auth ? [c.auth.password] : []),
};
