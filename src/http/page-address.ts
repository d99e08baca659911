/** Whether an address is under the pages for people (/web), whatever route it finds: a refusal there is a page too. */
export const isPageAddress = (url: string): boolean => /^\/web(\/|\?|$)/.test(url);
