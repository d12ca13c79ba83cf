// The one shape every delivery channel implements: send this credential once, or throw so the outbox retries.
import type { DeliveryJobRow } from '../store';
import type { DeliveryItem } from './delivery-item';

/**
 * Sends one credential over one channel. Resolves once the receiver accepted it (HTTP 2xx, SMTP 250); throws a
 * MicrocredError otherwise. A thrown error with `details.permanent === true` is not retried.
 */
export type DeliverySender = (item: DeliveryItem, job: DeliveryJobRow) => Promise<void>;
