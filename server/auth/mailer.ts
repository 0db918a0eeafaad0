/** E-mail for password recovery: one plain-text message through the configured SMTP server. */
import nodemailer from 'nodemailer';

export interface Mailer {
  /** Send one plain-text message; rejects when the SMTP server refuses it. */
  send(message: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/** A mailer on SMTP_URL (credentials in the URL), sending as MAIL_FROM. */
export function smtpMailer(smtp: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(smtp.url);
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ from: smtp.from, to, subject, text });
    },
    close: () => transport.close(),
  };
}
