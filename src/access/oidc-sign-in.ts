export interface OidcSignIn {
  label: string;
}
