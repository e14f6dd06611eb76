import { auditStoreConformance } from '../conformance.js';
import { sqliteSubject } from './fixtures.js';

auditStoreConformance(sqliteSubject);
