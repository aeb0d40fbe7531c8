import type { INodePropertyOptions } from 'n8n-workflow';

/** eventTypes lists every event billbridge emits, for the triggers' pickers. */
export const eventTypes: INodePropertyOptions[] = [
	{ name: 'Alert Fired', value: 'alert.fired' },
	{ name: 'Alert Resolved', value: 'alert.resolved' },
	{ name: 'Customer Created', value: 'customer.created' },
	{ name: 'Customer Dunning Paused', value: 'customer.dunning_paused' },
	{ name: 'Customer Dunning Resumed', value: 'customer.dunning_resumed' },
	{ name: 'Customer Merged', value: 'customer.merged' },
	{ name: 'Customer Payment Rating Changed', value: 'customer.payment_rating_changed' },
	{ name: 'Customer Updated', value: 'customer.updated' },
	{ name: 'Invoice Cancelled', value: 'invoice.cancelled' },
	{ name: 'Invoice Created', value: 'invoice.created' },
	{ name: 'Invoice Dunning Paused', value: 'invoice.dunning_paused' },
	{ name: 'Invoice Dunning Resumed', value: 'invoice.dunning_resumed' },
	{ name: 'Invoice Finalized', value: 'invoice.finalized' },
	{ name: 'Invoice Overdue', value: 'invoice.overdue' },
	{ name: 'Invoice Paid', value: 'invoice.paid' },
	{ name: 'Invoice Reminder Due', value: 'invoice.reminder_due' },
	{ name: 'Payment Received', value: 'payment.received' },
	{ name: 'Reminder Sent', value: 'reminder.sent' },
];

/** typeFilter joins the chosen types for ?type=; empty means every type. */
export function typeFilter(types: string[]): string {
	return types.filter((t) => t !== '' && t !== '*').join(',');
}
