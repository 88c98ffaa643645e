// Every name under csr.banzaicloud.io the CSR signer reads or writes (the
// csr-operator's, so requests and CA Secrets made for it work unchanged).
// The group serves no kinds of its own: CSRs are certificates.k8s.io's.

/** signerName of the requests the private CA signs (default). */
export const PRIVATE_CA_SIGNER_NAME = 'csr.banzaicloud.io/privateca';
/** On a CSR, "true": the CA is appended to the issued certificate. */
export const FULLCHAIN_ANNOTATION = 'csr.banzaicloud.io/fullchain';
/** On the CA Secret: set to any new value to introduce a new CA; the old one stays in the bundle. */
export const ROTATE_ANNOTATION = 'csr.banzaicloud.io/rotate';
/** On the CA Secret: the last rotate value acted upon (written by the controller). */
export const ROTATED_ANNOTATION = 'csr.banzaicloud.io/rotated';
/** On the CA Secret, "true": ends the overlap, only the signing CA stays in the bundle. */
export const RETIRE_ANNOTATION = 'csr.banzaicloud.io/retire';
