/** What other capabilities use of notifications (email and text messages through GOV.UK Notify). */
export { queueAddressedNotification, queueNotification, queueNotifications, type NotificationChannel } from './queue';
export { TEMPLATES, type Template } from './templates';
export { notificationsDispatcher, type AddressedMessage, type AddressedMessages } from './sender';
export { notifySettings } from './config';
