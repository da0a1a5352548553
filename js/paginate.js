// @ts-check
// paginate(client, initialResponse): the official client's paging helper (x-ms-pageable:
// items in "value", next page at "nextLink", fetched with client.pathUnchecked(nextLink).get()).

import { createRestError } from "./client.js";

const SUCCESS_STATUSES = ["200", "201", "202", "203", "204", "205", "206", "207", "208", "226"];

/** @param {{ status: string, headers: Record<string, string>, body: any }} response */
function checkPagingResponse(response) {
  if (!SUCCESS_STATUSES.includes(response.status)) {
    throw createRestError(`Pagination failed with unexpected statusCode ${response.status}`, response);
  }
}

/**
 * @param {any} body
 * @returns {string | undefined}
 */
function nextLinkOf(body) {
  const nextLink = body?.nextLink;
  if (typeof nextLink !== "string" && nextLink !== undefined && nextLink !== null) {
    throw new Error("Body Property nextLink should be a string or undefined");
  }
  return nextLink || undefined;
}

/**
 * @param {any} body
 * @returns {unknown[]}
 */
function itemsOf(body) {
  const value = body?.value;
  if (!Array.isArray(value)) {
    throw new Error("Couldn't paginate response\n Body doesn't contain an array property with name: value");
  }
  return value;
}

/**
 * Iterates every item of a list operation, following nextLink page after page.
 *
 * `for await (const job of paginate(client, firstResponse))` yields items;
 * `paginate(...).byPage()` yields one array per page. `byPage({ continuationToken })` starts from
 * that link instead of the first response. `maxPageSize` is accepted and ignored, as in the
 * official helper: the page size is the `maxpagesize` query parameter of the first request (the
 * nextLink keeps it). A page whose status is not 2xx throws a RestError (statusCode, code, details).
 *
 * @param {{pathUnchecked: (path: string) => {get: () => Promise<any>}}} client
 * @param {{status: string, body: any}} initialResponse
 * @param {{customGetPage?: (pageLink: string, maxPageSize?: number) =>
 *   Promise<{page: unknown[], nextPageLink?: string}>}} [options]
 */
export function paginate(client, initialResponse, options = {}) {
  const customGetPage = typeof options.customGetPage === "function" ? options.customGetPage : undefined;

  /**
   * One page; pageLink undefined = the first page (the initial response).
   * @param {string | undefined} pageLink
   * @param {number} [maxPageSize]
   * @returns {Promise<{ page: unknown[], nextPageLink?: string }>}
   */
  async function getPage(pageLink, maxPageSize) {
    if (customGetPage) return customGetPage(pageLink ?? "", maxPageSize);
    const response = pageLink === undefined ? initialResponse : await client.pathUnchecked(pageLink).get();
    checkPagingResponse(response);
    return { page: itemsOf(response.body), nextPageLink: nextLinkOf(response.body) };
  }

  /**
   * @param {string | undefined} startLink
   * @param {number} [maxPageSize]
   */
  async function* pages(startLink, maxPageSize) {
    let result = await getPage(startLink, maxPageSize);
    yield result.page;
    while (result.nextPageLink) {
      result = await getPage(result.nextPageLink, maxPageSize);
      yield result.page;
    }
  }

  async function* items() {
    for await (const page of pages(undefined)) yield* page;
  }

  const iterator = items();
  return {
    next() {
      return iterator.next();
    },
    /** @param {any} [value] */
    return(value) {
      return iterator.return(value);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    /** @param {{ continuationToken?: string, maxPageSize?: number }} [settings] */
    byPage(settings = {}) {
      return pages(settings?.continuationToken || undefined, settings?.maxPageSize);
    },
  };
}
