/**
 * The one copy of chainsnap's event contracts: topic names, CloudEvents types, the JSON data
 * records, their JSON Schemas, and the codec that validates events on the way in and out.
 */
package io.chainsnap.events;
