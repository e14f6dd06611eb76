import { approvalStoreConformance } from '../approvals-conformance.js';
import { auditStoreConformance } from '../conformance.js';
import { sqliteSubject } from './fixtures.js';

auditStoreConformance(sqliteSubject);
approvalStoreConformance(sqliteSubject);
