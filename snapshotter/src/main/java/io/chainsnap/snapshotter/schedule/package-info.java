/** Cron schedules of targets, with an on-disk ledger so that a missed slot fires once. */
package io.chainsnap.snapshotter.schedule;
