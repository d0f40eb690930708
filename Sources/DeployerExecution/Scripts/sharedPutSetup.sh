# Makes the directory a file put under shared/ goes into (`shared_parent`
# under shared/, or shared/ itself when empty) and the store its upload lands
# in (`artifact_store`, see the runner), so that the upload can be moved into
# place with one atomic rename.
mkdir -p "$deploy_to/shared${shared_parent:+/$shared_parent}" "$artifact_store" || fail 'cannot create the directories under deploy_to' 1
