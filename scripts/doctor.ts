// `npm run doctor [-- --json] [-- --env-file <file>]`: check this deployment and say how to
// fix what is wrong (server/admin/doctor.ts). Exit code 1 when a problem was found.
import { doctorMain } from '../server/admin/doctor';

process.exitCode = await doctorMain(process.argv.slice(2));
