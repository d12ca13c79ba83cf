// Delivery: baked badges, PDF certificates, reading them back, and the delivery outbox (webhook, email, mail catcher).
export { bakePng, unbakePng, isPng, PNG_SIGNATURE } from './png';
export { bakeSvg, unbakeSvg } from './svg';
export { unbake, extractEmbedded, containerOf, type Container, type Unbaked } from './unbake';
export { certificatePdf, certificateLink, type CertificateOptions } from './certificate-pdf';
export { CERTIFICATE_ATTACHMENT_JSON, CERTIFICATE_ATTACHMENT_JWT, isPdf } from './certificate-names';
export { certificateFacts, type CertificateFacts } from './certificate-facts';
export { credentialFromPdf, MAX_ATTACHMENT_BYTES } from './pdf-attachment';
export { OB3_PNG_KEYWORD, OB3_SVG_NAMESPACE, ANCHOR_PNG_KEYWORD, ANCHOR_SVG_NAMESPACE, toPayload, isAnchoredPayload, type BakePayload } from './payload';
export { loadDeliveryItem, type DeliveryItem } from './delivery-item';
export type { DeliverySender } from './sender';
export { createDeliveryWorker, DEFAULT_DELIVERY_RETRY, type DeliveryWorker, type DeliveryWorkerOptions, type DeliveryRunSummary, type DeliveryFault, type DeliveryLogEntry } from './delivery-outbox';
export { createWebhookSender, webhookPayload, webhookMessageId, type WebhookPayload, type WebhookSenderOptions } from './webhook';
export { checkWebhookUrl } from './webhook-url';
export { createEmailSender, type EmailSenderOptions, type SmtpSettings } from './email';
export { emailMessage, emailMessageId, type EmailMessage, type EmailAttachment } from './email-message';
export { startMailCatcher, type MailCatcher, type MailCatcherOptions, type CaughtMail, type CaughtMailSummary } from './mail-catcher';
export { deliveryChannelsOf } from './channels';
