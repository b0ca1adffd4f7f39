// The shape of a post as the API returns it, for the tests that read posts.
export interface PostBody {
  id: string;
  author_id: string;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
  author: { id: string; name: string };
}
