/**
 * LinkedIn "Add to profile" link for the Licenses & certifications section: a plain link that
 * opens LinkedIn's own form prefilled, no LinkedIn script or asset on our page.
 *
 *   https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME
 *     &name=<certification name>&organizationName=<issuer>   (or organizationId=<LinkedIn page id>)
 *     &issueYear=<YYYY>&issueMonth=<1..12>&certUrl=<verification URL>&certId=<certificate id>
 *
 * Values are percent-encoded with encodeURIComponent (spaces as %20, not '+').
 */

export const LINKEDIN_ADD_TO_PROFILE = 'https://www.linkedin.com/profile/add';

export interface LinkedInCertification {
  /** Name of the certification, e.g. "Speaker at Example Conf 2026". */
  name: string;
  /** Issuing organization as free text (LinkedIn then shows it without a logo). */
  organizationName: string;
  /** LinkedIn company page id: links the issuer's page and logo; takes precedence over the name. */
  organizationId?: string;
  /** Issue date: year and month (UTC) are sent. */
  issuedAt: Date;
  /** The public verification URL ("Credential URL" on LinkedIn). */
  certUrl: string;
  /** The certificate id ("Credential ID" on LinkedIn). */
  certId: string;
}

export function linkedInAddToProfileUrl(cert: LinkedInCertification): string {
  const params: [string, string][] = [
    ['startTask', 'CERTIFICATION_NAME'],
    ['name', cert.name],
    cert.organizationId ? ['organizationId', cert.organizationId] : ['organizationName', cert.organizationName],
  ];
  if (!Number.isNaN(cert.issuedAt.getTime())) {
    params.push(
      ['issueYear', String(cert.issuedAt.getUTCFullYear())],
      ['issueMonth', String(cert.issuedAt.getUTCMonth() + 1)],
    );
  }
  params.push(['certUrl', cert.certUrl], ['certId', cert.certId]);
  return `${LINKEDIN_ADD_TO_PROFILE}?${params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}
